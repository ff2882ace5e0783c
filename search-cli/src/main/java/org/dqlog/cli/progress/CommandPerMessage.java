package org.dqlog.cli.progress;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * {@code dqlog listen -- CMD ARGS}: runs CMD once per message and waits for it, the body on its
 * standard input, the headers in its environment ({@link ReceivedMessage#variables()}), its
 * output passed through. A CMD that fails (exit status not 0, or cannot start) is reported on
 * stderr and to {@code onFailure} (a panic, if asked for); the message counts as handled.
 *
 * <p>Not thread-safe: one worker runs one CMD at a time.
 */
public final class CommandPerMessage implements MessageAction {

    private final List<String> command;
    private final PrintWriter err;
    private final BiConsumer<ReceivedMessage, String> onFailure;

    public CommandPerMessage(List<String> command, PrintWriter err, BiConsumer<ReceivedMessage, String> onFailure) {
        this.command = List.copyOf(command);
        this.err = err;
        this.onFailure = onFailure;
    }

    @Override
    public void handle(ReceivedMessage message) throws InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().putAll(message.variables());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            fail(message, "cannot run " + command.get(0) + ": " + e.getMessage());
            return;
        }
        Thread feeder = new Thread(() -> feed(process, message.body()), "dqlog-listen-stdin");
        feeder.setDaemon(true);
        feeder.start();
        // interrupted when shutting down: CMD is left to finish on its own, the message stays unacknowledged
        int status = process.waitFor();
        feeder.join();
        if (status != 0) {
            fail(message, command.get(0) + " exited with status " + status);
        }
    }

    /** On its own thread: a CMD that never reads its input must not block the listener (full pipe). */
    private static void feed(Process process, byte[] body) {
        try (OutputStream in = process.getOutputStream()) {
            in.write(body);
        } catch (IOException e) {
            // CMD closed its input without reading all of it: its business
        }
    }

    private void fail(ReceivedMessage message, String why) {
        err.println("dqlog: listen: " + why + " on " + message.type() + " message " + message.id());
        err.flush();
        onFailure.accept(message, why);
    }
}
