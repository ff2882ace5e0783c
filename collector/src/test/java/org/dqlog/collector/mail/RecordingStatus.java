package org.dqlog.collector.mail;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.dqlog.core.Status;

/** Keeps every report, so tests can check what an operator would have been told. */
final class RecordingStatus implements Status {

    final List<String> messages = new CopyOnWriteArrayList<>();

    @Override
    public void info(String message) {
        messages.add("INFO " + message);
    }

    @Override
    public void warn(String message, Throwable cause) {
        messages.add("WARN " + message + (cause == null ? "" : " / " + cause));
    }

    @Override
    public void error(String message, Throwable cause) {
        messages.add("ERROR " + message + (cause == null ? "" : " / " + cause));
    }
}
