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
        if (out.checkError()) {
            // 'dqlog listen | head -1': the reader is gone, nobody will see the next line
            throw new OutputClosedException();
        }
    }

    /** Standard output was closed: listen stops, as grep does on a closed pipe. */
    public static final class OutputClosedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OutputClosedException() {
            super("standard output closed");
        }
    }
}
