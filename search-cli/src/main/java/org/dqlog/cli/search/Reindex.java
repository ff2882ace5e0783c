package org.dqlog.cli.search;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import org.dqlog.cli.CliException;
import org.dqlog.archive.IndexBackend;
import org.dqlog.archive.Reindexer;
import org.dqlog.core.Status;

/**
 * Runs {@link IndexBackend#rebuild} with progress on stderr: a bar redrawn in place on a terminal,
 * otherwise a line every {@link #DEFAULT_LINE_INTERVAL} (for logs of cron jobs).
 *
 * <p>Not thread-safe; one rebuild per command.
 */
public final class Reindex {

    /** Least time between two progress lines when stderr is no terminal: 10 s. */
    public static final Duration DEFAULT_LINE_INTERVAL = Duration.ofSeconds(10);
    private static final int BAR_WIDTH = 30;

    /** What the rebuild did. */
    public record Summary(long records, long damagedLines, int files) { }

    private Reindex() { }

    /**
     * @throws CliException when the index is in use by a collector, or the files cannot be read
     */
    public static Summary run(IndexBackend backend, Path dataDir, PrintWriter err, boolean terminal) {
        Status status = new Status() {
            @Override
            public void info(String message) { }

            @Override
            public void warn(String message, Throwable cause) {
                err.println("dqlog: warning: " + message);
            }

            @Override
            public void error(String message, Throwable cause) {
                err.println("dqlog: error: " + message);
            }
        };
        Progress progress = new Progress(err, terminal);
        try {
            Reindexer.Result r = backend.rebuild(dataDir, progress, status);
            progress.done();
            return new Summary(r.records(), r.damagedLines(), r.files());
        } catch (IOException e) {
            progress.done();
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new CliException("cannot reindex " + dataDir + ": " + reason, e);
        }
    }

    private static final class Progress implements Reindexer.Progress {
        private final PrintWriter err;
        private final boolean terminal;
        private long lastLineNanos = System.nanoTime();
        private boolean drawn;

        Progress(PrintWriter err, boolean terminal) {
            this.err = err;
            this.terminal = terminal;
        }

        @Override
        public void update(long records, long bytesDone, long bytesTotal) {
            int percent = bytesTotal <= 0 ? 100 : (int) Math.min(100, bytesDone * 100 / bytesTotal);
            String figures = String.format("%3d%%  %,d records  %s / %s", percent, records, mb(bytesDone), mb(bytesTotal));
            if (terminal) {
                int filled = percent * BAR_WIDTH / 100;
                err.print("\r[" + "#".repeat(filled) + " ".repeat(BAR_WIDTH - filled) + "] " + figures + "\u001b[K");
                err.flush();
                drawn = true;
            } else if (System.nanoTime() - lastLineNanos >= DEFAULT_LINE_INTERVAL.toNanos()) {
                lastLineNanos = System.nanoTime();
                err.println("dqlog reindex: " + figures.strip());
                err.flush();
            }
        }

        void done() {
            if (drawn) {
                err.println();
                err.flush();
            }
        }

        private static String mb(long bytes) {
            return String.format("%.1f MB", bytes / 1e6);
        }
    }
}
