package org.dqlog.core;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The fields the Python tooling's panics carry ({@code command}, {@code arguments}, {@code cwd},
 * {@code traceback}, {@code time}, {@code usrtime}), filled in for a Java process so that the
 * on-call expert can act on the mail alone: for the appenders' panics and for {@link Panic}'s.
 * The process facts are read once, when this is made.
 *
 * <p>Secrets never travel: the arguments pass through a {@link Redaction} ({@code
 * -Ddqlog.passcode=x}, {@code --password x} and the other forms it lists show {@code ***}).
 *
 * <p>Immutable, so thread-safe.
 */
public final class PanicFields {

    /** What replaces the value of a secret argument. */
    public static final String REDACTED = Redaction.REDACTED;

    /** Frames of the logging frameworks, dropped from the top of a call stack: they say nothing about the failure. */
    private static final List<String> FRAMEWORK_PREFIXES = Collections.unmodifiableList(Arrays.asList(
            "org.apache.logging.log4j.", "org.apache.logging.slf4j.",
            "ch.qos.logback.", "org.slf4j.", "java.lang.Thread", "jdk.internal.reflect.", "java.lang.reflect."));
    /** The appenders' own classes (exactly these: an application's classes may share their package). */
    private static final List<String> APPENDER_CLASSES = Collections.unmodifiableList(Arrays.asList(
            "org.dqlog.core.appender.RecordFactory", "org.dqlog.core.appender.AppenderBackend",
            "org.dqlog.log4j2.StompAppender", "org.dqlog.log4j2.StompManager", "org.dqlog.log4j2.LogEventRecords",
            "org.dqlog.logback.StompAppender", "org.dqlog.logback.LoggingEventRecords"));

    private final String command;
    private final List<String> arguments;
    private final String cwd;
    private final ZoneId zone;

    public PanicFields(String command, List<String> arguments, String cwd, ZoneId zone) {
        this(command, arguments, cwd, zone, Redaction.DEFAULT);
    }

    public PanicFields(String command, List<String> arguments, String cwd, ZoneId zone, Redaction redaction) {
        this.command = redaction.text(command);
        this.arguments = Collections.unmodifiableList(redaction.arguments(arguments));
        this.cwd = cwd;
        this.zone = zone;
    }

    /**
     * The facts of this process: command and program arguments as the launcher saw them (the
     * jar or main class and what follows it, shorter than the JVM's full command line with its
     * class path); where the JVM does not say, the executable alone. Never the JVM options,
     * which may hold {@code -Ddqlog.passcode} or other secrets that no name gives away.
     */
    public static PanicFields ofThisProcess(Redaction redaction) {
        String main = ProcessInfo.mainCommand();
        if (main != null) {
            List<String> words = new ArrayList<>(Arrays.asList(main.split("\\s+")));
            String first = words.remove(0);
            return new PanicFields(first, words, ProcessInfo.workingDirectory(), ZoneId.systemDefault(), redaction);
        }
        return new PanicFields(ProcessInfo.command(), Collections.<String>emptyList(),
                ProcessInfo.workingDirectory(), ZoneId.systemDefault(), redaction);
    }

    public String command() {
        return command;
    }

    /** The arguments, secrets redacted. */
    public List<String> arguments() {
        return arguments;
    }

    public String cwd() {
        return cwd;
    }

    /**
     * Adds the panic fields to {@code record}: process facts, {@code time} and {@code usrtime}
     * from {@code ts}, and the traceback: the exception's stack when there is one, else {@code
     * callStack} (null for none).
     */
    public LogRecord.Builder addTo(LogRecord.Builder record, Instant ts, ExceptionInfo exception,
            StackTraceElement[] callStack) {
        return record.command(command).arguments(arguments).cwd(cwd)
                .time(epochSeconds(ts))
                .usrtime(Timestamps.forHumans(ts, zone))
                .traceback(exception != null ? tracebackOf(exception)
                        : callStack != null ? tracebackOf(callStack) : Collections.<String>emptyList());
    }

    /**
     * A stack trace text as lines, each ending with a line break, as Python's traceback lists are;
     * blank lines left out.
     */
    public static List<String> tracebackOf(ExceptionInfo exception) {
        List<String> lines = new ArrayList<>();
        for (String line : exception.stackTrace().split("\r?\n")) {
            if (!line.trim().isEmpty()) {
                lines.add(line + "\n");
            }
        }
        return lines;
    }

    /**
     * A call stack as lines ({@code \tat class.method(File.java:12)}), from the application's
     * call to the logger down: the frames of the logging machinery on top are left out.
     */
    public static List<String> tracebackOf(StackTraceElement[] callStack) {
        int first = 0;
        while (first < callStack.length && isMachinery(callStack[first])) {
            first++;
        }
        List<String> lines = new ArrayList<>(callStack.length - first);
        for (int i = first; i < callStack.length; i++) {
            lines.add("\tat " + callStack[i] + "\n");
        }
        return lines;
    }

    private static boolean isMachinery(StackTraceElement frame) {
        String className = frame.getClassName();
        for (String prefix : FRAMEWORK_PREFIXES) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        for (String appenderClass : APPENDER_CLASSES) {
            if (className.equals(appenderClass) || className.startsWith(appenderClass + "$")) {
                return true;
            }
        }
        return false;
    }

    /** Epoch seconds with microseconds, as Python's {@code time.time()}. */
    static double epochSeconds(Instant ts) {
        return ts.getEpochSecond() + (ts.getNano() / 1000) / 1e6;
    }

    @Override
    public String toString() {
        return "PanicFields[" + command + " " + arguments + " in " + cwd + "]";
    }
}
