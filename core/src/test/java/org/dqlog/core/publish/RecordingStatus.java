package org.dqlog.core.publish;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.dqlog.core.Status;

/** Keeps every status message, for assertions. */
final class RecordingStatus implements Status {

    final List<String> infos = new CopyOnWriteArrayList<>();
    final List<String> warnings = new CopyOnWriteArrayList<>();
    final List<String> errors = new CopyOnWriteArrayList<>();

    @Override
    public void info(String message) {
        infos.add(message);
    }

    @Override
    public void warn(String message, Throwable cause) {
        warnings.add(message);
    }

    @Override
    public void error(String message, Throwable cause) {
        errors.add(message);
    }

    List<String> all() {
        List<String> all = new java.util.ArrayList<>(infos);
        all.addAll(warnings);
        all.addAll(errors);
        return all;
    }
}
