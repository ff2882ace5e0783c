package org.dqlog.bench;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.dqlog.core.appender.AppenderBackend;
import org.dqlog.core.publish.SenderStats;
import org.dqlog.testkit.BrokerProcess;
import org.dqlog.testkit.ChildProcess;

/**
 * The application thread's time per Log4j 2 call: our {@code <Stomp>} appender against Log4j's
 * {@code <Socket>} appender (JSON lines to a TCP sink that reads and discards, as "Socket
 * appender to Logstash" setups do), plain and behind Log4j's {@code <Async>} appender. Each is
 * measured with its peer healthy and with its peer SIGSTOPped (a hung broker or Logstash: the
 * connection stays open, nothing is read). A call that does not return within the stall limit
 * is reported as BLOCKED; the peer is then continued so the call can finish.
 *
 * <pre>java -cp CP org.dqlog.bench.AppenderLatency [--calls 200000] [--warmup 50000] [--stall-limit-seconds 5]</pre>
 *
 * With {@code --rate N}, it runs issue 13's comparison instead ({@link FixedRateLatency}): calls at a
 * fixed rate, INFO against ERROR with an exception, broker up against every broker down, beside
 * the asynchronous file appenders of Log4j 2 and Logback.
 */
public final class AppenderLatency {

    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(60);

    private AppenderLatency() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv, "--calls", "--warmup", "--stall-limit-seconds", "--rate", "--seconds",
                "--warmup-seconds");
        int rate = args.intValue("--rate", 0);
        if (rate > 0) {
            Path dir = Files.createTempDirectory("dqlog-bench-rate");
            try {
                new FixedRateLatency(rate, args.intValue("--seconds", 20), args.intValue("--warmup-seconds", 5), dir).run();
            } finally {
                TempDirs.deleteQuietly(dir);
            }
            return;
        }
        int calls = args.intValue("--calls", 200_000);
        int warmup = args.intValue("--warmup", 50_000);
        Duration stallLimit = Duration.ofSeconds(args.intValue("--stall-limit-seconds", 5));
        System.out.printf("AppenderLatency: %,d calls per case, stall limit %s; %s%n", calls, stallLimit, Machine.describe());

        Path dir = Files.createTempDirectory("dqlog-bench-appender");
        try {
            run(calls, warmup, stallLimit, dir);
        } finally {
            TempDirs.deleteQuietly(dir);
        }
    }

    private static void run(int calls, int warmup, Duration stallLimit, Path dir) throws Exception {
        try (BrokerProcess broker = BrokerProcess.builder(dir.resolve("broker")).name("bench-broker")
                .jvmOptions(List.of("-Xmx512m")).start();
             ChildProcess sink = ChildProcess.java(DiscardSink.class.getName()).name("discard-sink").start()) {
            int sinkPort = Integer.parseInt(sink.awaitLine(
                    java.util.regex.Pattern.compile("^" + DiscardSink.READY_PREFIX + "(\\d+)$"), Duration.ofSeconds(30)).group(1));
            List<Case> cases = List.of(
                    new Case("dqlog <Stomp>", stompConfig(broker.uri(), dir.resolve("spool")), broker::stop, broker::resume),
                    new Case("Log4j <Socket> (JsonLayout)", socketConfig(sinkPort, false), sink::stop, sink::resume),
                    new Case("Log4j <Async> + <Socket>", socketConfig(sinkPort, true), sink::stop, sink::resume));

            LoggerContext context = null;
            for (Case c : cases) {
                Path config = dir.resolve(c.name.replaceAll("[^A-Za-z0-9]+", "-") + ".xml");
                Files.writeString(config, c.configXml, StandardCharsets.UTF_8);
                if (context == null) {
                    context = Configurator.initialize("bench", null, config.toUri());
                } else {
                    context.setConfigLocation(config.toUri());
                }
                Logger logger = context.getLogger("org.atlas.dqm.web.HistogramService");
                ThreadContext.put("run", "456789");

                run(logger, warmup, Duration.ofSeconds(60), () -> { });
                drain(context);
                Result healthy = run(logger, calls, stallLimit, () -> { });
                print(c.name, "peer healthy", healthy, context);
                drain(context);

                c.stopPeer.run();
                Result stopped;
                try {
                    stopped = run(logger, calls, stallLimit, c.resumePeer);
                } finally {
                    c.resumePeer.run();
                }
                print(c.name, "peer SIGSTOPped", stopped, context);
                drain(context);
            }
            if (context != null) {
                Configurator.shutdown(context, 10, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
    }

    private static final class Case {
        final String name;
        final String configXml;
        final Runnable stopPeer;
        final Runnable resumePeer;

        Case(String name, String configXml, Runnable stopPeer, Runnable resumePeer) {
            this.name = name;
            this.configXml = configXml;
            this.stopPeer = stopPeer;
            this.resumePeer = resumePeer;
        }
    }

    static final class Result {
        final LatencySamples samples;
        final int requested;
        final boolean blocked;
        final double seconds;

        Result(LatencySamples samples, int requested, boolean blocked, double seconds) {
            this.samples = samples;
            this.requested = requested;
            this.blocked = blocked;
            this.seconds = seconds;
        }
    }

    /**
     * Logs {@code calls} times from a thread of its own, timing each call. When no call returns for
     * {@code stallLimit}, gives up: runs {@code onStall} (continues the peer, so the hung call can
     * return) and reports the run as blocked.
     */
    static Result run(Logger logger, int calls, Duration stallLimit, Runnable onStall) throws InterruptedException {
        LatencySamples samples = new LatencySamples(calls);
        AtomicBoolean stop = new AtomicBoolean();
        Thread app = new Thread(() -> {
            for (int i = 0; i < calls; i++) {
                if (stop.get()) {
                    return;
                }
                long start = System.nanoTime();
                logger.info("histogram {} of run {} checked in {} ms: status {}", i, 456789, 12, "GREEN");
                samples.add(System.nanoTime() - start);
            }
        }, "application");
        long start = System.nanoTime();
        app.start();
        int lastCount = -1;
        long lastProgress = System.nanoTime();
        boolean blocked = false;
        while (app.isAlive()) {
            app.join(50);
            int n = samples.count();
            if (n != lastCount) {
                lastCount = n;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > stallLimit.toNanos()) {
                blocked = true;
                stop.set(true);
                onStall.run();
                app.join();
            }
        }
        return new Result(samples, calls, blocked, (System.nanoTime() - start) / 1e9);
    }

    private static void print(String name, String situation, Result r, LoggerContext context) {
        LatencySamples s = r.samples;
        String outcome = r.blocked
                ? String.format("BLOCKED: a call hung > stall limit after %,d calls", s.count() - 1)
                : String.format("%,d calls in %.1f s", s.count(), r.seconds);
        System.out.printf("%-30s %-16s p50 %-9s p99 %-9s p99.9 %-9s max %-9s %s  load %s%n", name, situation,
                LatencySamples.human(s.percentile(50)), LatencySamples.human(s.percentile(99)),
                LatencySamples.human(s.percentile(99.9)), LatencySamples.human(s.max()), outcome, Machine.loadAverage());
        SenderStats stats = stompStats(context);
        if (stats != null) {
            System.out.printf("%-30s %-16s sender: accepted %,d, dropped %,d, spooled %,d, sent %,d%n", "", "",
                    stats.accepted(), stats.dropped(), stats.spooled(), stats.sent());
        }
    }

    /** Waits (bounded) until our appender's queue is empty, so that one case's backlog does not slow the next. */
    private static void drain(LoggerContext context) throws InterruptedException {
        long deadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
        SenderStats stats;
        while ((stats = stompStats(context)) != null && stats.queued() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        Thread.sleep(500);
    }

    /**
     * The counters of the {@code <Stomp>} appender's sender, read through its package-private
     * manager; null for other appenders. Benchmark-only reflection: the appender has no public
     * accessor for them, and the figures (how many records a burst dropped) belong in the report.
     */
    static SenderStats stompStats(LoggerContext context) {
        Appender appender = context.getConfiguration().getAppender("CENTRAL");
        if (appender == null) {
            return null;
        }
        try {
            Field field = appender.getClass().getDeclaredField("manager");
            field.setAccessible(true);
            Object manager = field.get(appender);
            Method backend = manager.getClass().getDeclaredMethod("backend");
            backend.setAccessible(true);
            return ((AppenderBackend) backend.invoke(manager)).sender().stats();
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    static String stompConfig(String brokerUri, Path spoolDir) throws IOException {
        return stompConfig(brokerUri, spoolDir, "");
    }

    /** @param extraAttributes more attributes of the {@code <Stomp>} element ({@code spoolMaxBytes="8GB"}), or "" */
    static String stompConfig(String brokerUri, Path spoolDir, String extraAttributes) throws IOException {
        Files.createDirectories(spoolDir);
        return "<Configuration status=\"WARN\">\n"
                + "  <Appenders>\n"
                + "    <Stomp name=\"CENTRAL\" brokers=\"" + brokerUri + "\" app=\"bench\" host=\"bench-host\"\n"
                + "           spoolDir=\"" + spoolDir + "\" shutdownTimeout=\"5s\" " + extraAttributes + "/>\n"
                + "  </Appenders>\n"
                + "  <Loggers><Root level=\"INFO\"><AppenderRef ref=\"CENTRAL\"/></Root></Loggers>\n"
                + "</Configuration>\n";
    }

    static String socketConfig(int port, boolean async) {
        String socket = "    <Socket name=\"SOCKET\" host=\"127.0.0.1\" port=\"" + port + "\" protocol=\"TCP\">\n"
                + "      <JsonLayout compact=\"true\" eventEol=\"true\" properties=\"true\"/>\n"
                + "    </Socket>\n";
        String ref = async ? "ASYNC" : "SOCKET";
        return "<Configuration status=\"WARN\">\n"
                + "  <Appenders>\n"
                + socket
                + (async ? "    <Async name=\"ASYNC\"><AppenderRef ref=\"SOCKET\"/></Async>\n" : "")
                + "  </Appenders>\n"
                + "  <Loggers><Root level=\"INFO\"><AppenderRef ref=\"" + ref + "\"/></Root></Loggers>\n"
                + "</Configuration>\n";
    }
}
