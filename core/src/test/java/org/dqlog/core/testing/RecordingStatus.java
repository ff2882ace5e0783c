package org.dqlog.core.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.dqlog.core.Status;

/**
 * Keeps every status report, for assertions: by severity ({@link #infos()}, {@link #warnings()},
 * {@link #errors()}, the text alone) and all in the order they came ({@link #messages()}, as
 * {@code "LEVEL text"}, with the cause appended, so that a test can check that no part of a
 * report leaks a secret).
 *
 * <p>Thread-safe: reports may come from any thread while a test reads them.
 */
public final class RecordingStatus implements Status {

    private final List<String> infos = new CopyOnWriteArrayList<>();
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final List<String> messages = new CopyOnWriteArrayList<>();

    @Override
    public void info(String message) {
        infos.add(message);
        messages.add("INFO " + message);
    }

    @Override
    public void warn(String message, Throwable cause) {
        warnings.add(message);
        messages.add("WARN " + message + causeText(cause));
    }

    @Override
    public void error(String message, Throwable cause) {
        errors.add(message);
        messages.add("ERROR " + message + causeText(cause));
    }

    /** The texts of the info reports, oldest first (a live view). */
    public List<String> infos() {
        return Collections.unmodifiableList(infos);
    }

    /** The texts of the warnings, oldest first (a live view). */
    public List<String> warnings() {
        return Collections.unmodifiableList(warnings);
    }

    /** The texts of the errors, oldest first (a live view). */
    public List<String> errors() {
        return Collections.unmodifiableList(errors);
    }

    /** Every report as {@code "INFO text"}, {@code "WARN text / cause"}, {@code "ERROR text / cause"}, oldest first (a live view). */
    public List<String> messages() {
        return Collections.unmodifiableList(messages);
    }

    @Override
    public String toString() {
        return "RecordingStatus" + new ArrayList<>(messages);
    }

    private static String causeText(Throwable cause) {
        return cause == null ? "" : " / " + cause;
    }
}
