package org.dqlog.cli.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs a command with stdin passed through and stdout/stderr pumped, byte for byte, to ours and
 * into an {@link OutputTail}; returns its exit status as a shell reports it (128 + signal when a
 * signal killed it: the JDK already reports it so on Unix). While the command runs, this JVM
 * ignores SIGINT (a Ctrl-C reaches the command through the terminal's process group, and we must
 * live on to report its end) and passes SIGTERM on to it.
 *
 * <p>Not thread-safe; one command per instance.
 */
public final class CommandRunner {

    /** What {@code run} returns when the command cannot be started, as a shell does for "not found": {@value}. */
    public static final int CANNOT_RUN = 127;

    private final OutputStream out;
    private final OutputStream err;
    private final OutputTail tail;

    public CommandRunner(OutputStream out, OutputStream err, OutputTail tail) {
        this.out = out;
        this.err = err;
        this.tail = tail;
    }

    /**
     * Runs {@code command} in {@code workingDirectory} and waits for it.
     *
     * @throws IOException when the command cannot be started (the message says why)
     */
    public int run(List<String> command, Path workingDirectory) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(workingDirectory.toFile())
                .redirectInput(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        try (Signals.Scope signals = Signals.whileRunning(p)) {
            Thread o = pump(p.getInputStream(), out, "dqlog-run-stdout");
            Thread e = pump(p.getErrorStream(), err, "dqlog-run-stderr");
            int status = p.waitFor();
            // the pumps end at EOF, once the command and every child holding its pipes are gone
            o.join();
            e.join();
            return status;
        } catch (InterruptedException ex) {
            p.destroy();
            throw ex;
        }
    }

    private Thread pump(InputStream from, OutputStream to, String name) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            boolean broken = false;
            try (InputStream in = from) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    tail.append(buf, 0, n);
                    if (!broken) {
                        try {
                            to.write(buf, 0, n);
                            to.flush();
                        } catch (IOException closed) {
                            // our own stdout went away (a closed pipe): keep draining so the command does not block
                            broken = true;
                        }
                    }
                }
            } catch (IOException e) {
                // the command's pipe broke: nothing more to read
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
