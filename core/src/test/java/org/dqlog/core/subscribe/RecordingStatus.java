package org.dqlog.core.subscribe;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.dqlog.core.Status;

/** Keeps every status message as "LEVEL text". */
final class RecordingStatus implements Status {

    final List<String> messages = new CopyOnWriteArrayList<>();

    @Override
    public void info(String message) {
        messages.add("INFO " + message);
    }

    @Override
    public void warn(String message, Throwable cause) {
        messages.add("WARN " + message);
    }

    @Override
    public void error(String message, Throwable cause) {
        messages.add("ERROR " + message);
    }
}
