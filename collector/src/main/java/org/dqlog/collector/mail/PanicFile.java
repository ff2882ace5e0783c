package org.dqlog.collector.mail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.dqlog.core.ExceptionInfo;
import org.dqlog.core.Level;
import org.dqlog.core.LogRecord;

/**
 * The content of one outbox file: a pending panic as a Java properties file (ASCII, with
 * {@code \\uXXXX} escapes), every field of the record plus the time it was accepted. Properties
 * rather than the wire JSON keep the outbox free of any codec that may change under it, and
 * escape control characters and newlines by construction.
 *
 * <p>Stateless, so thread-safe.
 */
final class PanicFile {

    static final String FORMAT = "dqlog-panic-1";

    private PanicFile() {
    }

    static void write(PendingPanic p, OutputStream out) throws IOException {
        LogRecord r = p.record();
        Properties props = new Properties();
        put(props, "format", FORMAT);
        put(props, "acceptedAt", p.acceptedAt().toString());
        put(props, "id", r.id());
        put(props, "type", r.type());
        put(props, "ts", r.ts() == null ? null : r.ts().toString());
        put(props, "rts", r.rts() == null ? null : r.rts().toString());
        put(props, "host", r.host());
        put(props, "app", r.app());
        put(props, "pid", r.pid() == null ? null : r.pid().toString());
        put(props, "level", r.level() == null ? null : r.level().name());
        put(props, "logger", r.logger());
        put(props, "thread", r.thread());
        put(props, "message", r.message());
        put(props, "panic", Boolean.toString(r.panic()));
        put(props, "truncated", Boolean.toString(r.truncated()));
        put(props, "command", r.command());
        put(props, "cwd", r.cwd());
        put(props, "time", r.time() == null ? null : Double.toString(r.time()));
        put(props, "usrtime", r.usrtime());
        if (r.exception() != null) {
            put(props, "exception.class", r.exception().className());
            put(props, "exception.message", r.exception().message());
            put(props, "exception.stack", r.exception().stackTrace());
        }
        putList(props, "arguments", r.arguments());
        putList(props, "traceback", r.traceback());
        int i = 0;
        for (Map.Entry<String, String> e : r.mdc().entrySet()) {
            put(props, "mdc." + i + ".key", e.getKey());
            put(props, "mdc." + i + ".value", e.getValue());
            i++;
        }
        props.store(out, null);
    }

    /**
     * @param key the file's key, carried into the result
     * @throws IOException if the file is unreadable or not a pending panic
     */
    static PendingPanic read(String key, InputStream in) throws IOException {
        Properties props = new Properties();
        props.load(in);
        if (!FORMAT.equals(props.getProperty("format"))) {
            throw new IOException("not a " + FORMAT + " file (format=" + props.getProperty("format") + ")");
        }
        try {
            LogRecord.Builder b = LogRecord.builder()
                    .id(props.getProperty("id"))
                    .type(props.getProperty("type"))
                    .ts(instant(props.getProperty("ts")))
                    .rts(instant(props.getProperty("rts")))
                    .host(props.getProperty("host"))
                    .app(props.getProperty("app"))
                    .pid(props.getProperty("pid") == null ? null : Long.valueOf(props.getProperty("pid")))
                    .level(props.getProperty("level") == null ? null : Level.valueOf(props.getProperty("level")))
                    .logger(props.getProperty("logger"))
                    .thread(props.getProperty("thread"))
                    .message(props.getProperty("message"))
                    .panic(Boolean.parseBoolean(props.getProperty("panic")))
                    .truncated(Boolean.parseBoolean(props.getProperty("truncated")))
                    .command(props.getProperty("command"))
                    .cwd(props.getProperty("cwd"))
                    .time(props.getProperty("time") == null ? null : Double.valueOf(props.getProperty("time")))
                    .usrtime(props.getProperty("usrtime"))
                    .arguments(list(props, "arguments"))
                    .traceback(list(props, "traceback"));
            if (props.getProperty("exception.class") != null) {
                b.exception(new ExceptionInfo(props.getProperty("exception.class"),
                        props.getProperty("exception.message"), props.getProperty("exception.stack")));
            }
            Map<String, String> mdc = new LinkedHashMap<>();
            for (int i = 0; props.getProperty("mdc." + i + ".key") != null; i++) {
                mdc.put(props.getProperty("mdc." + i + ".key"), props.getProperty("mdc." + i + ".value"));
            }
            Instant acceptedAt = instant(props.getProperty("acceptedAt"));
            if (acceptedAt == null) {
                throw new IOException("no acceptedAt");
            }
            return new PendingPanic(key, b.mdc(mdc).build(), acceptedAt);
        } catch (RuntimeException e) {
            throw new IOException("malformed pending panic: " + e.getMessage(), e);
        }
    }

    private static void put(Properties props, String name, String value) {
        if (value != null) {
            props.setProperty(name, value);
        }
    }

    private static void putList(Properties props, String name, List<String> values) {
        for (int i = 0; i < values.size(); i++) {
            put(props, name + "." + i, values.get(i));
        }
    }

    private static List<String> list(Properties props, String name) {
        List<String> values = new ArrayList<>();
        for (int i = 0; props.getProperty(name + "." + i) != null; i++) {
            values.add(props.getProperty(name + "." + i));
        }
        return values;
    }

    private static Instant instant(String s) {
        return s == null ? null : Instant.parse(s);
    }
}
