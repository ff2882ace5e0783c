package org.dqlog.core;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One record of the central log: a log event from an appender, a panic (from an appender, from
 * {@code dqlog panic}/{@code run}, or from the Python tooling), as described in
 * docs/message-format.md. Fields a producer did not send are null (or empty, for collections).
 *
 * <p>Immutable, so thread-safe; build one with {@link #builder()}.
 */
public final class LogRecord {

    /** {@code MsgType} of an ordinary log record. */
    public static final String TYPE_LOG = "Log";
    /** {@code MsgType} of a panic. */
    public static final String TYPE_PANIC = "Panic";

    private final String id;
    private final String type;
    private final Instant ts;
    private final Instant rts;
    private final String host;
    private final String app;
    private final Long pid;
    private final Level level;
    private final String logger;
    private final String thread;
    private final String message;
    private final Map<String, String> mdc;
    private final ExceptionInfo exception;
    private final boolean panic;
    private final boolean truncated;
    private final String command;
    private final List<String> arguments;
    private final List<String> traceback;
    private final String cwd;
    private final Double time;
    private final String usrtime;

    private LogRecord(Builder b) {
        this.id = b.id;
        this.type = b.type == null ? (b.panic ? TYPE_PANIC : TYPE_LOG) : b.type;
        this.ts = b.ts;
        this.rts = b.rts;
        this.host = b.host;
        this.app = b.app;
        this.pid = b.pid;
        this.level = b.level;
        this.logger = b.logger;
        this.thread = b.thread;
        this.message = b.message;
        this.mdc = b.mdc.isEmpty() ? Collections.emptyMap()
                : Collections.unmodifiableMap(new LinkedHashMap<>(b.mdc));
        this.exception = b.exception;
        this.panic = b.panic;
        this.truncated = b.truncated;
        this.command = b.command;
        this.arguments = b.arguments == null ? Collections.emptyList() : List.copyOf(b.arguments);
        this.traceback = b.traceback == null ? Collections.emptyList() : List.copyOf(b.traceback);
        this.cwd = b.cwd;
        this.time = b.time;
        this.usrtime = b.usrtime;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding every field of this record, to derive a changed copy. */
    public Builder toBuilder() {
        return new Builder().id(id).type(type).ts(ts).rts(rts).host(host).app(app).pid(pid)
                .level(level).logger(logger).thread(thread).message(message).mdc(mdc)
                .exception(exception).panic(panic).truncated(truncated).command(command)
                .arguments(arguments).traceback(traceback).cwd(cwd).time(time).usrtime(usrtime);
    }

    /** Unique per record: producer instance id and sequence number; the collector deduplicates on it. */
    public String id() { return id; }
    /** The {@code MsgType}: {@value #TYPE_LOG}, {@value #TYPE_PANIC}, ... */
    public String type() { return type; }
    /** Producer's timestamp (UTC). */
    public Instant ts() { return ts; }
    /** Collector's receive time; null until a collector received the record. */
    public Instant rts() { return rts; }
    public String host() { return host; }
    public String app() { return app; }
    public Long pid() { return pid; }
    public Level level() { return level; }
    public String logger() { return logger; }
    public String thread() { return thread; }
    public String message() { return message; }
    /** MDC / ThreadContext captured at the call; never null. */
    public Map<String, String> mdc() { return mdc; }
    public ExceptionInfo exception() { return exception; }
    /** True if this record raised a panic (it travels on the panic queue too). */
    public boolean panic() { return panic; }
    /** True if the producer cut the record to its maximum size. */
    public boolean truncated() { return truncated; }
    /** Panic field: the command (script) that raised it. */
    public String command() { return command; }
    /** Panic field: the command's arguments; never null. */
    public List<String> arguments() { return arguments; }
    /** Panic field: stack as Python's {@code traceback.format_stack()} returns it; never null. */
    public List<String> traceback() { return traceback; }
    /** Panic field: working directory. */
    public String cwd() { return cwd; }
    /** Panic field: epoch seconds. */
    public Double time() { return time; }
    /** Panic field: local time for humans. */
    public String usrtime() { return usrtime; }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof LogRecord)) {
            return false;
        }
        LogRecord r = (LogRecord) o;
        return panic == r.panic && truncated == r.truncated && Objects.equals(id, r.id)
                && Objects.equals(type, r.type) && Objects.equals(ts, r.ts) && Objects.equals(rts, r.rts)
                && Objects.equals(host, r.host) && Objects.equals(app, r.app) && Objects.equals(pid, r.pid)
                && level == r.level && Objects.equals(logger, r.logger) && Objects.equals(thread, r.thread)
                && Objects.equals(message, r.message) && mdc.equals(r.mdc)
                && Objects.equals(exception, r.exception) && Objects.equals(command, r.command)
                && arguments.equals(r.arguments) && traceback.equals(r.traceback)
                && Objects.equals(cwd, r.cwd) && Objects.equals(time, r.time)
                && Objects.equals(usrtime, r.usrtime);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, ts, host, message);
    }

    @Override
    public String toString() {
        return "LogRecord[" + id + " " + ts + " " + level + " " + host + "/" + app + " " + logger + "]";
    }

    /** Not thread-safe; one builder per thread. */
    public static final class Builder {
        private String id;
        private String type;
        private Instant ts;
        private Instant rts;
        private String host;
        private String app;
        private Long pid;
        private Level level;
        private String logger;
        private String thread;
        private String message;
        private final Map<String, String> mdc = new LinkedHashMap<>();
        private ExceptionInfo exception;
        private boolean panic;
        private boolean truncated;
        private String command;
        private List<String> arguments;
        private List<String> traceback;
        private String cwd;
        private Double time;
        private String usrtime;

        private Builder() { }

        public Builder id(String v) { id = v; return this; }
        public Builder type(String v) { type = v; return this; }
        public Builder ts(Instant v) { ts = v; return this; }
        public Builder rts(Instant v) { rts = v; return this; }
        public Builder host(String v) { host = v; return this; }
        public Builder app(String v) { app = v; return this; }
        public Builder pid(Long v) { pid = v; return this; }
        public Builder level(Level v) { level = v; return this; }
        public Builder logger(String v) { logger = v; return this; }
        public Builder thread(String v) { thread = v; return this; }
        public Builder message(String v) { message = v; return this; }
        public Builder mdc(Map<String, String> v) { mdc.clear(); if (v != null) { mdc.putAll(v); } return this; }
        public Builder putMdc(String key, String value) { mdc.put(key, value); return this; }
        public Builder exception(ExceptionInfo v) { exception = v; return this; }
        public Builder panic(boolean v) { panic = v; return this; }
        public Builder truncated(boolean v) { truncated = v; return this; }
        public Builder command(String v) { command = v; return this; }
        public Builder arguments(List<String> v) { arguments = v; return this; }
        public Builder traceback(List<String> v) { traceback = v; return this; }
        public Builder cwd(String v) { cwd = v; return this; }
        public Builder time(Double v) { time = v; return this; }
        public Builder usrtime(String v) { usrtime = v; return this; }

        public LogRecord build() {
            return new LogRecord(this);
        }
    }
}
