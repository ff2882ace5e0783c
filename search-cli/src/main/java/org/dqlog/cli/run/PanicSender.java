package org.dqlog.cli.run;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dqlog.cli.CliException;
import org.dqlog.core.LogRecord;
import org.dqlog.core.Panic;
import org.dqlog.core.Redaction;
import org.dqlog.core.Status;
import org.dqlog.core.config.ClientSettings;

/**
 * The panics of {@code dqlog panic} and {@code dqlog run}, built and sent by core's {@link Panic}
 * (so the body is the Java API's: id, host, app, time, usrtime, cwd, ... and the Python
 * tooling's fields), with what a shell caller knows better than the JVM: the calling script as
 * command, its pid, and for {@code run} the command's output as traceback. Sent synchronously to
 * the logging and panic queues of one broker, confirmed by a receipt.
 *
 * <p>Stateless, so thread-safe.
 */
public final class PanicSender {

    /** Longest time spent trying the brokers (in rounds, while they restart): 20 s. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);
    /** Logger name of the panics sent from the command line: {@value}. */
    public static final String LOGGER = "dqlog.cli";

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m)");

    /**
     * What a panic says, besides the facts of this process.
     *
     * @param traceback lines of text, each ending in a line break (Python's format_stack style)
     */
    public record Details(String message, String app, String command, List<String> arguments, Long pid,
                          String cwd, Map<String, String> mdc, List<String> traceback) {
        public Details {
            arguments = List.copyOf(arguments);
            mdc = Map.copyOf(mdc);
            traceback = List.copyOf(traceback);
        }
    }

    private PanicSender() { }

    /**
     * The panic record of {@code details}, its command and arguments passed through the
     * settings' {@link Redaction} (the message is the caller's: {@code run} builds it from the
     * redacted command line).
     */
    public static LogRecord record(Details d, ClientSettings settings) {
        Redaction redaction = settings.redaction();
        LogRecord.Builder b = Panic.newPanic(d.message(), settings).logger(LOGGER).thread("main")
                .app(d.app()).command(redaction.text(d.command())).arguments(redaction.arguments(d.arguments()))
                .cwd(d.cwd()).mdc(d.mdc())
                .traceback(d.traceback());
        if (d.pid() != null) {
            b.pid(d.pid());
        }
        return b.build();
    }

    /**
     * Sends {@code panic} and waits for a broker's receipt, trying the brokers in rounds for at
     * most {@code timeout}.
     *
     * @throws PanicNotSentException saying why (no broker configured, none reachable, none confirmed)
     */
    public static void send(LogRecord panic, ClientSettings settings, Duration timeout) throws PanicNotSentException {
        AtomicReference<String> why = new AtomicReference<>("no broker stored it");
        Status status = new Status() {
            @Override
            public void info(String message) { }

            @Override
            public void warn(String message, Throwable cause) { }

            @Override
            public void error(String message, Throwable cause) {
                why.set(message.startsWith("dqlog: ") ? message.substring("dqlog: ".length()) : message);
            }
        };
        if (!Panic.send(panic, settings, timeout, status)) {
            throw new PanicNotSentException(why.get());
        }
    }

    /** {@code 500ms}, {@code 20s}, {@code 2m}: how long {@code --timeout} lets dqlog try. */
    public static Duration parseTimeout(String text) {
        Matcher m = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new CliException("bad --timeout: '" + text + "' (expected a positive duration such as 500ms, 20s or 2m)");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            default -> Duration.ofMinutes(n);
        };
    }

    /** The panic could not be delivered; the message says why, without secrets. */
    public static final class PanicNotSentException extends Exception {
        private static final long serialVersionUID = 1L;

        PanicNotSentException(String message) {
            super(message);
        }
    }
}
