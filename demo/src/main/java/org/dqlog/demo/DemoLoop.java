package org.dqlog.demo;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Random;

/**
 * Drives a {@link DqScenario} at a modest rate for a while: about {@code rate} records a second
 * (with jitter), the first ERROR 10 to 20 s after start (so that a panic shows up in the first
 * minute), then one every 40 to 80 s. Stops when the duration is over, or when standard input
 * ends (the {@link DemoMain} that started this JVM is gone).
 *
 * <p>Settings come from system properties, which {@link DemoMain} passes: {@value #RATE_PROPERTY},
 * {@value #DURATION_PROPERTY} (seconds, 0 = until stopped).
 *
 * <p>Not thread-safe: one thread runs it; {@link #stop()} may come from another.
 */
final class DemoLoop {

    static final String RATE_PROPERTY = "dqlog.demo.rate";
    static final String DURATION_PROPERTY = "dqlog.demo.durationSeconds";
    static final double DEFAULT_RATE = 8;

    private final double rate;
    private final Duration duration;
    private final Random random = new Random();
    private volatile boolean stopped;

    DemoLoop(double rate, Duration duration) {
        this.rate = rate;
        this.duration = duration;
    }

    static DemoLoop fromSystemProperties() {
        double rate = Double.parseDouble(System.getProperty(RATE_PROPERTY, Double.toString(DEFAULT_RATE)));
        long seconds = Long.parseLong(System.getProperty(DURATION_PROPERTY, "0"));
        return new DemoLoop(Math.max(0.1, rate), Duration.ofSeconds(Math.max(0, seconds)));
    }

    Random random() {
        return random;
    }

    void stop() {
        stopped = true;
    }

    /** Stops the loop when standard input ends, so that the application dies with its parent. */
    void stopOnStdinEof() {
        Thread watcher = new Thread(() -> {
            InputStream in = System.in;
            byte[] buffer = new byte[64];
            try {
                while (in.read(buffer) >= 0) {
                    // only the end matters
                }
            } catch (IOException e) {
                // a broken pipe means the parent is gone too
            }
            stop();
        }, "demo-stdin-eof-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }

    /** Runs until the duration is over or {@link #stop()}; returns the number of records logged. */
    long run(DqScenario scenario) {
        long start = System.nanoTime();
        long end = duration.isZero() ? Long.MAX_VALUE : start + duration.toNanos();
        long nextError = start + seconds(10, 20);
        long records = 0;
        while (!stopped && System.nanoTime() < end) {
            if (System.nanoTime() >= nextError) {
                scenario.fail();
                nextError = System.nanoTime() + seconds(40, 80);
            } else {
                scenario.next();
            }
            records++;
            // exponential gaps: a Poisson stream looks like real traffic, bursts and lulls included
            double gap = -Math.log(1 - random.nextDouble()) / rate;
            try {
                Thread.sleep((long) Math.min(5000, gap * 1000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return records;
    }

    private long seconds(int min, int max) {
        return Duration.ofSeconds(min + random.nextInt(max - min + 1)).toNanos();
    }
}
