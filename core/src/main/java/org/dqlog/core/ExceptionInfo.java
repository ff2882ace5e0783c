package org.dqlog.core;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Objects;
import java.util.Set;

/**
 * An exception as it travels in a record: its class, its message and the full stack trace text
 * with causes and suppressed exceptions, exactly as {@link Throwable#printStackTrace()} writes it.
 * The text form keeps the record independent of the classes of the producing application.
 *
 * <p>{@link #of(Throwable)} only <em>captures</em> the throwable (each exception's text and
 * frames, its causes and suppressed ones: what the application could change afterwards); the
 * text is written when first asked for, which for an appender is on the sender's side. So an
 * {@code ERROR} call with an exception costs the application thread the capture of the stack,
 * not its formatting.
 *
 * <p>Immutable in what it says, so thread-safe (the text is made at most once per thread that
 * races for it, always the same).
 */
public final class ExceptionInfo {

    /** About how long one line of a stack trace is; for estimates before the text is written. */
    private static final int FRAME_CHARS_ESTIMATE = 80;

    private final String className;
    private final String message;
    private volatile String stackTrace;
    private volatile CapturedThrowable captured; // null once the text is written

    public ExceptionInfo(String className, String message, String stackTrace) {
        this.className = Objects.requireNonNull(className, "className");
        this.message = message;
        this.stackTrace = stackTrace == null ? "" : stackTrace;
    }

    private ExceptionInfo(String className, String message, CapturedThrowable captured) {
        this.className = className;
        this.message = message;
        this.captured = captured;
    }

    /** Captures a throwable with its whole cause chain; the text is written when first read. */
    public static ExceptionInfo of(Throwable t) {
        CapturedThrowable captured = CapturedThrowable.of(t);
        if (captured == null) { // an exception of the chain prints itself its own way: print it now
            StringWriter text = new StringWriter();
            try (PrintWriter out = new PrintWriter(text)) {
                t.printStackTrace(out);
            }
            return new ExceptionInfo(t.getClass().getName(), t.getMessage(), text.toString());
        }
        return new ExceptionInfo(t.getClass().getName(), t.getMessage(), captured);
    }

    public String className() {
        return className;
    }

    /** The exception's own message; may be null. */
    public String message() {
        return message;
    }

    /** Full stack trace text, causes and suppressed included; never null. Written on first call. */
    public String stackTrace() {
        String text = stackTrace;
        if (text != null) {
            return text;
        }
        CapturedThrowable c = captured;
        if (c == null) {
            return stackTrace; // another thread wrote it meanwhile (it sets the text before it clears the capture)
        }
        text = c.text();
        stackTrace = text;
        captured = null;
        return text;
    }

    /** The length of {@link #stackTrace()}, or an estimate of it while the text is not written yet; cheap. */
    public long stackTraceLength() {
        String text = stackTrace;
        if (text != null) {
            return text.length();
        }
        CapturedThrowable c = captured;
        return c == null ? stackTrace().length() : c.estimateChars(FRAME_CHARS_ESTIMATE);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ExceptionInfo)) {
            return false;
        }
        ExceptionInfo other = (ExceptionInfo) o;
        return className.equals(other.className) && Objects.equals(message, other.message)
                && stackTrace().equals(other.stackTrace());
    }

    @Override
    public int hashCode() {
        return Objects.hash(className, message, stackTrace());
    }

    @Override
    public String toString() {
        return message == null ? className : className + ": " + message;
    }

    /**
     * What {@link Throwable#printStackTrace()} prints, taken on the logging thread: each
     * exception's {@code toString()}, its frames (the capture itself) and, in the same order and
     * with the same check for circular references, its suppressed exceptions and its cause.
     */
    private static final class CapturedThrowable {

        private static final ClassValue<Boolean> OWN_PRINTING = new ClassValue<Boolean>() {
            @Override
            protected Boolean computeValue(Class<?> type) {
                try {
                    // printStackTrace reads the frames without getStackTrace(): an override of either prints otherwise
                    return type.getMethod("printStackTrace", PrintWriter.class).getDeclaringClass() != Throwable.class
                            || type.getMethod("getStackTrace").getDeclaringClass() != Throwable.class;
                } catch (NoSuchMethodException | SecurityException e) {
                    return Boolean.TRUE;
                }
            }
        };

        private final String header;
        private final StackTraceElement[] trace;
        private final CapturedThrowable[] suppressed;
        private final CapturedThrowable cause;
        private final boolean circular;

        private CapturedThrowable(String header, StackTraceElement[] trace, CapturedThrowable[] suppressed,
                CapturedThrowable cause, boolean circular) {
            this.header = header;
            this.trace = trace;
            this.suppressed = suppressed;
            this.cause = cause;
            this.circular = circular;
        }

        /** The capture, or null if an exception of the chain overrides {@code printStackTrace}. */
        static CapturedThrowable of(Throwable t) {
            Set<Throwable> dejaVu = Collections.newSetFromMap(new IdentityHashMap<>());
            return capture(t, dejaVu);
        }

        private static CapturedThrowable capture(Throwable t, Set<Throwable> dejaVu) {
            if (!dejaVu.add(t)) {
                return new CapturedThrowable(String.valueOf(t), null, null, null, true);
            }
            if (OWN_PRINTING.get(t.getClass())) {
                return null;
            }
            String header = String.valueOf(t);
            StackTraceElement[] trace = t.getStackTrace();
            Throwable[] sup = t.getSuppressed();
            CapturedThrowable[] suppressed = new CapturedThrowable[sup.length];
            for (int i = 0; i < sup.length; i++) {
                suppressed[i] = capture(sup[i], dejaVu);
                if (suppressed[i] == null) {
                    return null;
                }
            }
            Throwable c = t.getCause();
            CapturedThrowable cause = c == null ? null : capture(c, dejaVu);
            if (c != null && cause == null) {
                return null;
            }
            return new CapturedThrowable(header, trace, suppressed, cause, false);
        }

        long estimateChars(int frameChars) {
            long n = header.length() + (trace == null ? 0 : (long) trace.length * frameChars);
            if (suppressed != null) {
                for (CapturedThrowable s : suppressed) {
                    n += s.estimateChars(frameChars);
                }
            }
            return cause == null ? n : n + cause.estimateChars(frameChars);
        }

        /** The text, line for line as {@code Throwable.printStackTrace(PrintWriter)} writes it. */
        String text() {
            StringWriter text = new StringWriter();
            try (PrintWriter out = new PrintWriter(text)) {
                out.println(header);
                for (StackTraceElement frame : trace) {
                    out.println("\tat " + frame);
                }
                for (CapturedThrowable s : suppressed) {
                    s.printEnclosed(out, trace, "Suppressed: ", "\t");
                }
                if (cause != null) {
                    cause.printEnclosed(out, trace, "Caused by: ", "");
                }
            }
            return text.toString();
        }

        private void printEnclosed(PrintWriter out, StackTraceElement[] enclosingTrace, String caption, String prefix) {
            if (circular) {
                out.println(prefix + caption + "[CIRCULAR REFERENCE: " + header + "]");
                return;
            }
            int m = trace.length - 1;
            int n = enclosingTrace.length - 1;
            while (m >= 0 && n >= 0 && trace[m].equals(enclosingTrace[n])) {
                m--;
                n--;
            }
            int framesInCommon = trace.length - 1 - m;
            out.println(prefix + caption + header);
            for (int i = 0; i <= m; i++) {
                out.println(prefix + "\tat " + trace[i]);
            }
            if (framesInCommon != 0) {
                out.println(prefix + "\t... " + framesInCommon + " more");
            }
            for (CapturedThrowable s : suppressed) {
                s.printEnclosed(out, trace, "Suppressed: ", prefix + "\t");
            }
            if (cause != null) {
                cause.printEnclosed(out, trace, "Caused by: ", prefix);
            }
        }
    }
}
