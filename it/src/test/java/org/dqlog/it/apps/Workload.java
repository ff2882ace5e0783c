package org.dqlog.it.apps;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.dqlog.core.Level;

/**
 * What an application child JVM of the end-to-end tests does, whatever its logging framework:
 * {@code count} records from a thread named {@value #THREAD}, each with {@code run} and {@code seq}
 * in its MDC so a test can count them, a fixed mix of levels (ERROR records carry an exception
 * with a cause), optionally paced; then it prints {@code sent N} and waits. A line {@code stop} on
 * stdin shuts the framework down (the appender flushes) and prints {@code stopped}; EOF on stdin
 * (the test JVM died) ends the process at once. Before that, {@code log RUN N} logs N more records
 * of run RUN (then prints {@code logged RUN N}) and {@code reconfigure FILE} makes the framework
 * load FILE as its new configuration (then prints {@code reconfigured}). With {@code --pause-at K}
 * the logging thread stops before record K, prints {@code paused at K} and goes on after a line
 * {@code go}: a test that breaks something "mid-stream" then knows the stream is not over, however
 * slow the machine.
 *
 * <p>With {@code -D}{@value SlowNameService#PROPERTY}{@code =HOST} every name lookup of HOST in the
 * JVM waits until the test releases it (see {@link SlowNameService}).
 *
 * <p>Arguments: {@code --config FILE --run NAME --count N [--per-second R] [--pause-at K]}.
 */
public final class Workload {

    public static final String THREAD = "worker";
    public static final String LOGGER = "dq.calculator.Pixels";
    public static final String MDC_RUN = "run";
    public static final String MDC_SEQ = "seq";
    public static final String SENT_PREFIX = "sent ";
    public static final String STOPPED = "stopped";
    public static final String PAUSED_PREFIX = "paused at ";
    public static final String GO = "go";
    public static final String LOGGED_PREFIX = "logged ";
    public static final String RECONFIGURED = "reconfigured";

    /** The one reader of stdin, shared by the pause and the stop, so neither swallows the other's line. */
    private static final BufferedReader STDIN = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));

    /** One framework's way of logging a record and of shutting down. */
    public interface Sink {
        /** Logs {@link #message} with {@code run}/{@code seq} in the MDC, at {@code level}, with {@code error} if not null. */
        void log(Level level, String run, int seq, Throwable error);

        /** Stops the framework, which stops (and flushes) its appenders. */
        void shutdown();

        /** Loads {@code config} as the framework's new configuration, as a reconfiguration at run time does. */
        default void reconfigure(Path config) {
            throw new UnsupportedOperationException("this framework's application cannot reconfigure");
        }
    }

    /** Settings of one run, from the command line. */
    public static final class Options {
        public Path config;
        String run = "run";
        int count = 100;
        int perSecond;
        int pauseAt = -1;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--config": o.config = Path.of(args[++i]); break;
                    case "--run": o.run = args[++i]; break;
                    case "--count": o.count = Integer.parseInt(args[++i]); break;
                    case "--per-second": o.perSecond = Integer.parseInt(args[++i]); break;
                    case "--pause-at": o.pauseAt = Integer.parseInt(args[++i]); break;
                    default: throw new IllegalArgumentException("unknown argument " + args[i]);
                }
            }
            if (o.config == null) {
                throw new IllegalArgumentException("--config FILE is required");
            }
            return o;
        }
    }

    private Workload() {
    }

    public static Options options(String[] args) {
        SlowNameService.installIfAsked();
        return Options.parse(args);
    }

    /** The level of record {@code seq}: mostly INFO, some DEBUG and WARN, every 20th an ERROR, every 50th a FATAL. */
    public static Level levelOf(int seq) {
        if (seq % 20 == 7) {
            return Level.ERROR;
        }
        if (seq % 50 == 23) {
            return Level.FATAL;
        }
        switch (seq % 5) {
            case 1: return Level.WARN;
            case 2: return Level.DEBUG;
            default: return Level.INFO;
        }
    }

    /** Whether record {@code seq} is logged with an exception. */
    public static boolean hasException(int seq) {
        return levelOf(seq) == Level.ERROR;
    }

    public static String message(String run, int seq) {
        return "record " + seq + " of " + run;
    }

    /** An exception with a cause, as a failing calculation would throw. */
    static Throwable exception(int seq) {
        return new IllegalStateException("pixel " + seq + " failed",
                new IOException("disk gone while reading pixel " + seq));
    }

    /** Logs, prints {@code sent N}, then obeys stdin; never returns. */
    public static void run(Options options, Sink sink) throws InterruptedException {
        Thread worker = new Thread(() -> logAll(options, sink), THREAD);
        worker.start();
        worker.join();
        System.out.println(SENT_PREFIX + options.count);
        System.out.flush();
        awaitStop(options, sink);
        sink.shutdown();
        System.out.println(STOPPED);
        System.out.flush();
        System.exit(0);
    }

    private static void logAll(Options options, Sink sink) {
        logAll(options, options.run, options.count, options.pauseAt, sink);
    }

    private static void logAll(Options options, String run, int count, int pauseAt, Sink sink) {
        long start = System.nanoTime();
        for (int seq = 0; seq < count; seq++) {
            if (seq == pauseAt) {
                System.out.println(PAUSED_PREFIX + seq);
                System.out.flush();
                long pausedAt = System.nanoTime();
                awaitLine(GO);
                start += System.nanoTime() - pausedAt; // the same steady pace afterwards, not a burst
            }
            if (options.perSecond > 0) {
                // an application with a steady pace, so a test can break things while it logs
                long due = start + TimeUnit.SECONDS.toNanos(seq) / options.perSecond;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
            sink.log(levelOf(seq), run, seq, hasException(seq) ? exception(seq) : null);
        }
    }

    /** Obeys {@code log} and {@code reconfigure}; returns on a line {@code stop}; leaves the JVM at once on EOF (the test JVM is gone). */
    private static void awaitStop(Options options, Sink sink) {
        try {
            String line;
            while ((line = STDIN.readLine()) != null) {
                String[] words = line.trim().split("\\s+");
                if (words[0].equals("stop")) {
                    return;
                }
                if (words[0].equals("log") && words.length == 3) {
                    logAll(options, words[1], Integer.parseInt(words[2]), -1, sink);
                    System.out.println(LOGGED_PREFIX + words[1] + " " + words[2]);
                } else if (words[0].equals("reconfigure") && words.length == 2) {
                    sink.reconfigure(Path.of(words[1]));
                    System.out.println(RECONFIGURED);
                }
                System.out.flush();
            }
        } catch (IOException e) {
            // a broken stdin means the parent is gone, as EOF does
        }
        Runtime.getRuntime().halt(0);
    }

    /** Returns on the line {@code word}; leaves the JVM at once on EOF (the test JVM is gone). */
    private static void awaitLine(String word) {
        try {
            String line;
            while ((line = STDIN.readLine()) != null) {
                if (line.trim().equals(word)) {
                    return;
                }
            }
        } catch (IOException e) {
            // a broken stdin means the parent is gone, as EOF does
        }
        Runtime.getRuntime().halt(0);
    }
}
