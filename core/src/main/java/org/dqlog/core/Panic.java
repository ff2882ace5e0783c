package org.dqlog.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

import org.dqlog.core.config.BrokerAddress;
import org.dqlog.core.config.ClientSettings;
import org.dqlog.core.publish.OutboundMessage;
import org.dqlog.core.publish.PublishException;
import org.dqlog.core.publish.Publisher;
import org.dqlog.core.publish.Refusal;
import org.dqlog.core.publish.RecordEncoder;
import org.dqlog.core.publish.SenderConfig;
import org.dqlog.core.stomp.SessionConfig;

/**
 * Raises a panic from any Java tool, in two lines:
 *
 * <pre>{@code
 * import org.dqlog.core.Panic;
 * Panic.panic("nightly merge of run 261070 failed", e);
 * }</pre>
 *
 * <p>The brokers, login, passcode (or passcode file), app and TLS stores come from the system
 * properties or environment variables of DESIGN.md's settings table ({@code dqlog.brokers} /
 * {@code DQLOG_BROKERS}, ...). The panic carries the fields of the Python tooling's {@code panic()}
 * besides the record fields: {@code command} and {@code arguments} (the main class or jar and the
 * program arguments, secrets shown as {@value PanicFields#REDACTED}; never the JVM options, which
 * may hold {@code -Ddqlog.passcode}), {@code cwd}, {@code traceback} (the stack, outermost call
 * first like Python's {@code format_stack()}, or the throwable's stack), {@code time} and {@code
 * usrtime}: the {@link PanicFields} of this process; level FATAL, logger = the calling class.
 * It goes to the panic queue and the logging queue with the same id, synchronously, and counts as
 * sent only when a broker confirmed it with a receipt; brokers are tried in rounds until the
 * timeout ({@link #DEFAULT_TIMEOUT}), unless every broker refused it for good (a refused login,
 * an untrusted certificate) or a broker refused to store a copy (not authorised to write to the
 * panic queue, too large): then it fails at once.
 *
 * <p>Thread-safe: every call uses its own connection.
 */
public final class Panic {

    /** Longest {@link #panic} takes: 10 s. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** Pause between two rounds of trying every broker, within the timeout. */
    private static final Duration ROUND_PAUSE = Duration.ofMillis(500);
    private static final String OWN_CLASS = Panic.class.getName();

    private Panic() { }

    /** Ids of this JVM's panics; created on first use. */
    private static final class Ids {
        static final RecordIds VALUE = new RecordIds();
    }

    /**
     * Sends a panic with {@code message} and the current stack. Never throws.
     *
     * @return true once a broker stored it; false if it could not be sent within {@link #DEFAULT_TIMEOUT},
     *     a broker refused it (not authorised to write to the panic queue) or no broker is configured
     */
    public static boolean panic(String message) {
        return panic(message, null);
    }

    /**
     * Sends a panic with {@code message}, the throwable ({@code exception} field) and its stack as
     * traceback. Never throws.
     *
     * @return true once a broker stored it
     */
    public static boolean panic(String message, Throwable cause) {
        try {
            ClientSettings settings = ClientSettings.fromSystem();
            LogRecord.Builder record = newPanic(message, settings).logger(callerClass());
            if (cause != null) {
                ExceptionInfo info = ExceptionInfo.of(cause);
                record.exception(info).traceback(PanicFields.tracebackOf(info));
            } else {
                record.traceback(currentStack());
            }
            return send(record.build(), settings, DEFAULT_TIMEOUT, Status.SILENT);
        } catch (Throwable t) {
            return false;
        }
    }

    /**
     * A panic record filled in for this process, for callers that set more (the CLI's {@code dqlog
     * run} sets command, arguments and the output as traceback): id, type Panic, panic, ts, time,
     * usrtime, host, app (setting {@code app}, else {@link ProcessInfo#defaultAppName()}), pid, level
     * FATAL, thread, message, command, arguments and cwd; traceback empty.
     */
    public static LogRecord.Builder newPanic(String message, ClientSettings settings) {
        Instant now = Instant.now();
        String app = settings.app() != null ? settings.app() : ProcessInfo.defaultAppName();
        LogRecord.Builder record = LogRecord.builder()
                .id(Ids.VALUE.next())
                .type(LogRecord.TYPE_PANIC)
                .panic(true)
                .ts(now)
                .host(ProcessInfo.hostName())
                .app(app)
                .pid(ProcessInfo.pid())
                .level(WireMessages.DEFAULT_PANIC_LEVEL)
                .thread(Thread.currentThread().getName())
                .message(message == null ? "" : message);
        return PanicFields.ofThisProcess(settings.redaction()).addTo(record, now, null, null);
    }

    /**
     * Sends {@code panic} (made a panic if it is not one) to the panic and the logging queue, with
     * a receipt, trying the brokers of {@code settings} in rounds until {@code timeout}. Never throws;
     * why it failed goes to {@code status}.
     *
     * @return true once a broker confirmed both copies; false if a broker refused either copy
     */
    public static boolean send(LogRecord panic, ClientSettings settings, Duration timeout, Status status) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Publisher publisher = null;
        try {
            LogRecord record = panic.panic() ? panic : panic.toBuilder().panic(true).build();
            List<OutboundMessage> batch = messages(record);
            SessionConfig session = SessionConfig.builder().credentials(settings.credentials()).tls(settings.tls())
                    .connectTimeout(min(SessionConfig.DEFAULT_CONNECT_TIMEOUT, timeout))
                    .receiptTimeout(min(SessionConfig.DEFAULT_RECEIPT_TIMEOUT, timeout))
                    .build();
            publisher = Publisher.builder(brokers(settings)).sessionConfig(session).status(Status.SILENT)
                    .roundTimeout(timeout).build();
            PublishException last = null;
            while (true) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    break;
                }
                try {
                    List<Refusal> refusals = publisher.publish(batch, Duration.ofNanos(remaining));
                    if (refusals.isEmpty()) {
                        return true;
                    }
                    // the broker's authorization or size limit said no: no retry will change that
                    status.error("dqlog: the broker refused it for good: " + Refusal.describe(refusals), null);
                    return false;
                } catch (PublishException e) {
                    if (e.everyBrokerRefused()) {
                        status.error("dqlog: every broker refused it for good: " + e.getMessage(), e);
                        return false;
                    }
                    last = e;
                }
                long pause = Math.min(ROUND_PAUSE.toNanos(), deadline - System.nanoTime());
                if (pause > 0) {
                    Thread.sleep(pause / 1_000_000, (int) (pause % 1_000_000));
                }
            }
            status.error("dqlog: panic '" + abbreviate(record.message()) + "' was not sent within " + timeout
                    + (last == null ? "" : ": " + last.getMessage()), last);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status.error("dqlog: interrupted while sending a panic", e);
            return false;
        } catch (RuntimeException e) {
            status.error("dqlog: cannot send a panic: " + e.getMessage(), e);
            return false;
        } finally {
            if (publisher != null) {
                publisher.close();
            }
        }
    }

    private static List<BrokerAddress> brokers(ClientSettings settings) {
        List<BrokerAddress> brokers = settings.brokers();
        if (brokers.isEmpty()) {
            throw new IllegalArgumentException("no brokers configured: set " + ClientSettings.propertyName(ClientSettings.BROKERS)
                    + " or " + ClientSettings.environmentName(ClientSettings.BROKERS) + " (tcp://host:61613,...)");
        }
        return brokers;
    }

    private static List<OutboundMessage> messages(LogRecord record) {
        // `dqlog run` puts a command's output in the traceback: cut a huge one rather than have it refused
        byte[] body = new RecordEncoder(SenderConfig.DEFAULT_MAX_RECORD_BYTES).encode(record);
        List<OutboundMessage> batch = new ArrayList<>(2);
        for (String destination : WireMessages.destinationsFor(record)) {
            batch.add(OutboundMessage.of(destination, WireMessages.sendHeaders(record, destination), body));
        }
        return batch;
    }

    /** The first class on the stack that is not this one. */
    private static String callerClass() {
        return StackWalker.getInstance().walk(frames -> frames
                .map(StackWalker.StackFrame::getClassName)
                .filter(name -> !name.equals(OWN_CLASS))
                .findFirst()
                .orElse(OWN_CLASS));
    }

    /** The caller's stack, outermost call first (as Python's format_stack), one frame per line. */
    private static List<String> currentStack() {
        List<String> frames = StackWalker.getInstance().walk(s -> s
                .filter(f -> !f.getClassName().equals(OWN_CLASS))
                .map(f -> "  at " + f.toStackTraceElement() + "\n")
                .collect(Collectors.toList()));
        Collections.reverse(frames);
        return frames;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String abbreviate(String text) {
        String t = text == null ? "" : text;
        return t.length() <= 80 ? t : t.substring(0, 77) + "...";
    }
}
