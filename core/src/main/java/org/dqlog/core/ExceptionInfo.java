package org.dqlog.core;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Objects;

/**
 * An exception as it travels in a record: its class, its message and the full stack trace text
 * with causes and suppressed exceptions, exactly as {@link Throwable#printStackTrace()} writes it.
 * The text form keeps the record independent of the classes of the producing application.
 *
 * <p>Immutable, so thread-safe.
 */
public final class ExceptionInfo {

    private final String className;
    private final String message;
    private final String stackTrace;

    public ExceptionInfo(String className, String message, String stackTrace) {
        this.className = Objects.requireNonNull(className, "className");
        this.message = message;
        this.stackTrace = stackTrace == null ? "" : stackTrace;
    }

    /** Captures a throwable with its whole cause chain. */
    public static ExceptionInfo of(Throwable t) {
        StringWriter text = new StringWriter();
        try (PrintWriter out = new PrintWriter(text)) {
            t.printStackTrace(out);
        }
        return new ExceptionInfo(t.getClass().getName(), t.getMessage(), text.toString());
    }

    public String className() {
        return className;
    }

    /** The exception's own message; may be null. */
    public String message() {
        return message;
    }

    /** Full stack trace text, causes and suppressed included; never null. */
    public String stackTrace() {
        return stackTrace;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ExceptionInfo)) {
            return false;
        }
        ExceptionInfo other = (ExceptionInfo) o;
        return className.equals(other.className) && Objects.equals(message, other.message)
                && stackTrace.equals(other.stackTrace);
    }

    @Override
    public int hashCode() {
        return Objects.hash(className, message, stackTrace);
    }

    @Override
    public String toString() {
        return message == null ? className : className + ": " + message;
    }
}
