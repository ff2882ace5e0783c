package org.dqlog.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.dqlog.core.publish.SenderStats;
import org.dqlog.testkit.BrokerProcess;

import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;

/**
 * Issue 13's comparison: the application thread's time per call at a fixed rate, {@code INFO}
 * against {@code ERROR} with an exception, for our {@code <Stomp>} appender with its broker up
 * and with every broker down (nothing listens: it spools), beside Log4j 2's {@code <Async>} +
 * {@code JsonTemplateLayout} to a file and Logback's {@code AsyncAppender} + logstash-logback-encoder's
 * {@code LogstashEncoder} to a file, all in one run, each with its defaults. The calls come in
 * ticks of one millisecond ({@code rate / 1000} calls each, catching up when late), from one
 * application thread; each call is timed alone. Prints p50, p99, p99.9 and max per case, and
 * what became of the records (our sender's counters; for the peers, the lines in the file).
 *
 * <pre>java -Xmx1g -cp CP org.dqlog.bench.AppenderLatency --rate 20000 [--seconds 20] [--warmup-seconds 5]</pre>
 */
final class FixedRateLatency {

    private static final String LOGGER = "org.atlas.dqm.web.HistogramService";
    private static final String MESSAGE = "histogram {} of run {} checked in {} ms: status {}";
    private static final String SPOOL_MAX = "8GB";

    private final int rate;
    private final int seconds;
    private final int warmupSeconds;
    private final Path dir;
    private final Throwable failure = failureAtDepth(40);

    FixedRateLatency(int rate, int seconds, int warmupSeconds, Path dir) {
        this.rate = rate;
        this.seconds = seconds;
        this.warmupSeconds = warmupSeconds;
        this.dir = dir;
    }

    /** One kind of call: what the application thread does once per record. */
    private interface Call {
        void log(int i);
    }

    void run() throws Exception {
        System.out.printf("fixed rate %,d calls/s for %d s per case (%,d calls), after %d s of warm-up; %s%n", rate,
                seconds, rate * seconds, warmupSeconds, Machine.describe());
        ThreadContext.put("run", "456789");
        captureAlone();
        try (BrokerProcess broker = BrokerProcess.builder(dir.resolve("broker")).name("bench-broker")
                .jvmOptions(List.of("-Xmx512m")).start()) {
            LoggerContext log4j = null;
            String down = "tcp://127.0.0.1:" + closedPort();
            for (String[] c : new String[][] {{"dqlog <Stomp>, broker up", broker.uri()}, {"dqlog <Stomp>, brokers down", down}}) {
                // a spool large enough for the whole run, so that ERROR records are spooled, not dropped for want of room
                String xml = AppenderLatency.stompConfig(c[1], dir.resolve("spool-" + (c[1].equals(down) ? "down" : "up")),
                        "spoolMaxBytes=\"" + SPOOL_MAX + "\"");
                log4j = reconfigure(log4j, xml, c[0]);
                measureLog4j(log4j, c[0]);
            }
            Path log4jFile = dir.resolve("log4j-async.json");
            log4j = reconfigure(log4j, log4jAsyncFileConfig(log4jFile), "log4j-async");
            measureLog4j(log4j, "Log4j <Async> + JsonTemplateLayout, file");
            Configurator.shutdown(log4j, 10, TimeUnit.SECONDS);
            System.out.printf("%-44s lines in the file: %,d%n", "", lines(log4jFile));

            Path logbackFile = dir.resolve("logback-async.json");
            ch.qos.logback.classic.LoggerContext logback = logbackContext(logbackFile);
            org.slf4j.Logger slf4j = logback.getLogger(LOGGER);
            logback.getMDCAdapter().put("run", "456789");
            String name = "Logback AsyncAppender + LogstashEncoder, file";
            measure(name, "INFO", i -> slf4j.info(MESSAGE, i, 456789, 12, "GREEN"), () -> null);
            measure(name, "ERROR + exception", i -> slf4j.error(MESSAGE, i, 456789, 12, "RED", failure), () -> null);
            logback.stop();
            System.out.printf("%-44s lines in the file: %,d%n", "", lines(logbackFile));
        }
    }

    /** What capturing the exception costs by itself ({@code ExceptionInfo.of}): the allowance of an ERROR call over an INFO call. */
    private void captureAlone() {
        int n = 200_000;
        LatencySamples samples = null;
        for (int round = 0; round < 2; round++) { // the first round warms up
            samples = new LatencySamples(n);
            for (int i = 0; i < n; i++) {
                long t = System.nanoTime();
                org.dqlog.core.ExceptionInfo.of(failure);
                samples.add(System.nanoTime() - t);
            }
        }
        System.out.printf("%-44s %-18s p50 %-9s p99 %-9s p99.9 %-9s (%,d calls after as many to warm up)%n",
                "capturing the exception alone", "ExceptionInfo.of", LatencySamples.human(samples.percentile(50)),
                LatencySamples.human(samples.percentile(99)), LatencySamples.human(samples.percentile(99.9)), n, n);
    }

    private void measureLog4j(LoggerContext context, String name) throws InterruptedException {
        org.apache.logging.log4j.Logger logger = context.getLogger(LOGGER);
        measure(name, "INFO", i -> logger.info(MESSAGE, i, 456789, 12, "GREEN"), () -> AppenderLatency.stompStats(context));
        measure(name, "ERROR + exception", i -> logger.error(MESSAGE, i, 456789, 12, "RED", failure),
                () -> AppenderLatency.stompStats(context));
    }

    private interface Stats {
        SenderStats now();
    }

    private void measure(String name, String kind, Call call, Stats stats) throws InterruptedException {
        paced(call, rate * warmupSeconds, null);
        SenderStats before = stats.now();
        LatencySamples samples = new LatencySamples(rate * seconds);
        long start = System.nanoTime();
        paced(call, rate * seconds, samples);
        double took = (System.nanoTime() - start) / 1e9;
        System.out.printf("%-44s %-18s p50 %-9s p99 %-9s p99.9 %-9s max %-9s %,d calls in %.1f s  load %s%n", name, kind,
                LatencySamples.human(samples.percentile(50)), LatencySamples.human(samples.percentile(99)),
                LatencySamples.human(samples.percentile(99.9)), LatencySamples.human(samples.max()), samples.count(), took,
                Machine.loadAverage());
        SenderStats after = stats.now();
        if (before != null && after != null) {
            System.out.printf("%-44s %-18s sender during the case: accepted %,d, dropped %,d, spooled %,d, sent %,d%n",
                    "", "", after.accepted() - before.accepted(), after.dropped() - before.dropped(),
                    after.spooled() - before.spooled(), after.sent() - before.sent());
        }
    }

    /** {@code calls} calls at the fixed rate, in ticks of a millisecond, on a thread of its own (the "application"). */
    private void paced(Call call, int calls, LatencySamples samples) throws InterruptedException {
        Thread app = new Thread(() -> {
            long start = System.nanoTime();
            for (int i = 0; i < calls; ) {
                long due = (long) i * 1_000_000_000L / rate;
                long wait = start + due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                    continue;
                }
                long t = System.nanoTime();
                call.log(i);
                if (samples != null) {
                    samples.add(System.nanoTime() - t);
                }
                i++;
            }
        }, "application");
        app.start();
        app.join();
    }

    private LoggerContext reconfigure(LoggerContext context, String xml, String name) throws IOException {
        Path config = Files.writeString(dir.resolve(name.replaceAll("[^A-Za-z0-9]+", "-") + ".xml"), xml);
        if (context == null) {
            return Configurator.initialize("bench", null, config.toUri());
        }
        context.setConfigLocation(config.toUri());
        return context;
    }

    /** Log4j 2's asynchronous appender (defaults: 1,024 events, blocking when full) over a file with the JSON template layout. */
    static String log4jAsyncFileConfig(Path file) {
        return "<Configuration status=\"WARN\">\n"
                + "  <Appenders>\n"
                + "    <File name=\"FILE\" fileName=\"" + file + "\">\n"
                + "      <JsonTemplateLayout eventTemplateUri=\"classpath:EcsLayout.json\"/>\n"
                + "    </File>\n"
                + "    <Async name=\"ASYNC\"><AppenderRef ref=\"FILE\"/></Async>\n"
                + "  </Appenders>\n"
                + "  <Loggers><Root level=\"INFO\"><AppenderRef ref=\"ASYNC\"/></Root></Loggers>\n"
                + "</Configuration>\n";
    }

    /** Logback's asynchronous appender (defaults: 256 events, INFO and below discarded when 80 % full) over a file with LogstashEncoder. */
    static ch.qos.logback.classic.LoggerContext logbackContext(Path file) throws JoranException {
        String xml = "<configuration>\n"
                + "  <appender name=\"FILE\" class=\"ch.qos.logback.core.FileAppender\">\n"
                + "    <file>" + file + "</file>\n"
                + "    <encoder class=\"net.logstash.logback.encoder.LogstashEncoder\"/>\n"
                + "  </appender>\n"
                + "  <appender name=\"ASYNC\" class=\"ch.qos.logback.classic.AsyncAppender\"><appender-ref ref=\"FILE\"/></appender>\n"
                + "  <root level=\"INFO\"><appender-ref ref=\"ASYNC\"/></root>\n"
                + "</configuration>\n";
        ch.qos.logback.classic.LoggerContext context = new ch.qos.logback.classic.LoggerContext();
        // this context is made directly, not through SLF4J's binding (Log4j 2 shares the class path): its own MDC
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        return context;
    }

    /** A port nothing listens on: every broker down. */
    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static long lines(Path file) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An exception thrown {@code depth} frames down, with a cause: a typical stack for an ERROR call. */
    private static Throwable failureAtDepth(int depth) {
        try {
            throwAt(depth);
            throw new AssertionError();
        } catch (IllegalStateException e) {
            return e;
        }
    }

    private static void throwAt(int depth) {
        if (depth == 0) {
            throw new IllegalStateException("histogram check failed",
                    new IOException("cannot read /data/run456789/histograms.root"));
        }
        throwAt(depth - 1);
    }
}
