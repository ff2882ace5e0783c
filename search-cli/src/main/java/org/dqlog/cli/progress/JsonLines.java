package org.dqlog.cli.progress;

import java.io.PrintWriter;

/** {@code dqlog listen} without CMD: one JSON line per message on stdout, flushed at once (for {@code jq}, pipes). */
public final class JsonLines implements MessageAction {

    private final PrintWriter out;

    public JsonLines(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void handle(ReceivedMessage message) {
        out.println(message.jsonLine());
        out.flush();
    }
}
