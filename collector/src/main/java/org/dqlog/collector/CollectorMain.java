package org.dqlog.collector;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Objects;
import org.dqlog.collector.config.CollectorConfig;
import org.dqlog.collector.config.ConfigException;
import org.dqlog.core.Status;

/**
 * {@code dqlog collector --config collector.yaml}: runs a {@link Collector} in the foreground until
 * SIGTERM (or, with {@code --exit-on-stdin-eof}, until standard input closes, so that a collector
 * started by a test dies with the test JVM). Stopping is graceful, through a shutdown hook.
 *
 * <p>Prints exactly one line on stdout when ready:
 * {@code dqlog-collector ready data=/abs/dir http=http://127.0.0.1:PORT brokers=N} ({@code
 * http=off} when disabled). Its own reports go to stderr, one line each. Exit codes: 0 stopped, 1
 * could not start (index held by another collector, port taken, ...), 2 bad arguments or
 * configuration (one line on stderr naming the file and the key), 3 stopped on its own after a
 * failure it cannot recover from while running (a dead pipeline, a failed fsync, an index
 * writer closed by an I/O error): the service manager restarts it, and the start recovers.
 *
 * <p>The {@code dqlog} command line calls {@link #run(Path, boolean, PrintStream, PrintStream)} (or
 * {@link #run(CollectorConfig, boolean, PrintStream, PrintStream)} when it builds the
 * configuration itself, as {@code ./dqlog up} does); both block until the collector has stopped.
 */
public final class CollectorMain {

    public static final String READY_PREFIX = "dqlog-collector ready ";
    public static final int EXIT_STOPPED = 0;
    public static final int EXIT_CANNOT_START = 1;
    public static final int EXIT_USAGE = 2;
    /** Stopped on its own after a failure it cannot recover from in-process (see {@link Collector#fail}); restart it. */
    public static final int EXIT_FAILED = 3;

    private static final String USAGE = "usage: dqlog collector --config FILE [--exit-on-stdin-eof]";

    private CollectorMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Parses {@code --config FILE}, {@code --exit-on-stdin-eof}, {@code -h}; then as {@link #run(Path, boolean, PrintStream, PrintStream)}. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Path config = null;
        boolean exitOnStdinEof = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config":
                case "-c":
                    if (i + 1 >= args.length) {
                        return usage(err, args[i] + " needs a file");
                    }
                    config = Path.of(args[++i]);
                    break;
                case "--exit-on-stdin-eof":
                    exitOnStdinEof = true;
                    break;
                case "-h":
                case "--help":
                    out.println(USAGE);
                    return EXIT_STOPPED;
                default:
                    return usage(err, "unknown option " + args[i]);
            }
        }
        if (config == null) {
            return usage(err, "--config FILE is required");
        }
        return run(config, exitOnStdinEof, out, err);
    }

    /**
     * Loads the configuration file and runs the collector until it is stopped (SIGTERM, or EOF on
     * stdin with {@code exitOnStdinEof}). Blocks.
     *
     * @return {@link #EXIT_USAGE} for a bad configuration (reported in one line on {@code err}),
     *         {@link #EXIT_CANNOT_START} if it could not start, {@link #EXIT_STOPPED} after a stop
     */
    public static int run(Path configFile, boolean exitOnStdinEof, PrintStream out, PrintStream err) {
        CollectorConfig config;
        try {
            config = CollectorConfig.load(configFile);
        } catch (ConfigException e) {
            err.println("dqlog collector: " + e.getMessage());
            return EXIT_USAGE;
        }
        return run(config, exitOnStdinEof, out, err);
    }

    /** As {@link #run(Path, boolean, PrintStream, PrintStream)} with a configuration already read. */
    public static int run(CollectorConfig config, boolean exitOnStdinEof, PrintStream out, PrintStream err) {
        Objects.requireNonNull(config, "config");
        Status status = new ConsoleStatus(err);
        Collector collector;
        try {
            collector = Collector.start(config, status);
        } catch (IOException | RuntimeException e) {
            err.println("dqlog collector: could not start with data " + config.dataDir() + ": " + describe(e));
            return EXIT_CANNOT_START;
        }
        Thread hook = new Thread(collector::close, "dqlog-collector-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        if (exitOnStdinEof) {
            watchStdinForEof();
        }
        out.println(readyLine(collector));
        out.flush();
        try {
            collector.awaitClosed();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            collector.close();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook is what closed the collector
        }
        if (collector.failure().isPresent()) {
            err.println("dqlog collector: stopped after a failure: " + collector.failure().get());
            return EXIT_FAILED;
        }
        return EXIT_STOPPED;
    }

    /** {@code dqlog-collector ready data=/abs/dir http=http://127.0.0.1:PORT brokers=N}. */
    public static String readyLine(Collector collector) {
        String http = collector.httpUri().map(u -> u.toString().replaceAll("/$", "")).orElse("off");
        return READY_PREFIX + "data=" + collector.dataDir().toAbsolutePath() + " http=" + http + " brokers="
                + collector.brokerCount();
    }

    /** The parent (a test JVM) holds the other end of our stdin: EOF means it is gone; stop gracefully. */
    private static void watchStdinForEof() {
        Thread watcher = new Thread(() -> {
            InputStream in = System.in;
            byte[] buffer = new byte[256];
            try {
                while (in.read(buffer) >= 0) {
                    // input is ignored; only its end matters
                }
            } catch (IOException e) {
                // a broken stdin means the parent is gone as surely as EOF does
            }
            System.exit(EXIT_STOPPED);
        }, "dqlog-stdin-eof-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static int usage(PrintStream err, String problem) {
        err.println("dqlog collector: " + problem);
        err.println(USAGE);
        return EXIT_USAGE;
    }

    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder(e.getClass().getSimpleName());
        if (e.getMessage() != null) {
            text.append(": ").append(e.getMessage());
        }
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            text.append(" <- ").append(cause.getClass().getSimpleName());
            if (cause.getMessage() != null) {
                text.append(": ").append(cause.getMessage());
            }
        }
        return text.toString();
    }
}
