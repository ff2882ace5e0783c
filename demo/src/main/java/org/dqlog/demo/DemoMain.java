package org.dqlog.demo;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./dqlog demo}: starts the two demo applications, each in its own JVM as real services
 * run: {@link Log4jDemoApp} (dq-webdisplay, Log4j 2) and {@link LogbackDemoApp} (dq-histmerge,
 * Logback). They log to the brokers of {@code --brokers}, else {@code dqlog.brokers} /
 * {@code DQLOG_BROKERS}, else {@value #DEFAULT_BROKERS} (the broker of {@code ./dqlog up}), until
 * the duration is over or Ctrl-C. Their warnings and errors show on this console.
 *
 * <p>Exit codes: 0 done, 1 an application failed, 2 bad arguments.
 */
public final class DemoMain {

    public static final String DEFAULT_BROKERS = "tcp://127.0.0.1:61613";
    public static final Duration DEFAULT_DURATION = Duration.ofMinutes(10);
    /** Longest an application may take to send what it holds and exit after SIGTERM. */
    static final Duration STOP_WAIT = Duration.ofSeconds(10);
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(s|m|h)?");
    private static final String USAGE = "usage: dqlog demo [--brokers URI,...] [--duration 10m (0: until Ctrl-C)]"
            + " [--rate RECORDS_PER_SECOND (default " + (int) DemoLoop.DEFAULT_RATE + ", per application)]";

    private DemoMain() { }

    public static void main(String[] args) {
        String brokers = firstSet(System.getProperty("dqlog.brokers"), System.getenv("DQLOG_BROKERS"), DEFAULT_BROKERS);
        Duration duration = DEFAULT_DURATION;
        double rate = DemoLoop.DEFAULT_RATE;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--brokers" -> brokers = value(args, ++i, "--brokers");
                    case "--duration" -> duration = parseDuration(value(args, ++i, "--duration"));
                    case "--rate" -> rate = parseRate(value(args, ++i, "--rate"));
                    case "-h", "--help" -> {
                        System.out.println(USAGE);
                        return;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("dqlog demo: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
        }
        System.exit(run(brokers, duration, rate));
    }

    static int run(String brokers, Duration duration, double rate) {
        List<Process> apps = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAll(apps), "dqlog-demo-stop"));
        try {
            synchronized (apps) {
                apps.add(start(Log4jDemoApp.class, brokers, duration, rate));
                apps.add(start(LogbackDemoApp.class, brokers, duration, rate));
            }
        } catch (IOException e) {
            System.err.println("dqlog demo: cannot start a demo application: " + e.getMessage());
            return 1;
        }
        System.out.println(banner(brokers, duration, rate));
        System.out.flush();
        int result = 0;
        for (Process app : apps) {
            try {
                if (app.waitFor() != 0) {
                    result = 1;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            }
        }
        System.out.println("dqlog demo: done");
        return result;
    }

    private static Process start(Class<?> app, String brokers, Duration duration, double rate) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-Xmx96m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"),
                "-Ddqlog.brokers=" + brokers,
                "-D" + DemoLoop.RATE_PROPERTY + "=" + rate,
                "-D" + DemoLoop.DURATION_PROPERTY + "=" + duration.toSeconds(),
                app.getName());
        return new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                // stdin stays a pipe: when this JVM dies, the applications see EOF and stop
                .start();
    }

    /** SIGTERM to each application (its framework's shutdown hook flushes the appender), bounded. */
    private static void stopAll(List<Process> apps) {
        List<Process> copy;
        synchronized (apps) {
            copy = new ArrayList<>(apps);
        }
        for (Process p : copy) {
            p.destroy();
        }
        for (Process p : copy) {
            try {
                if (!p.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }

    private static String banner(String brokers, Duration duration, double rate) {
        String howLong = duration.isZero() ? "until Ctrl-C" : "for " + format(duration) + " (Ctrl-C stops them sooner)";
        return String.format(Locale.ROOT, "dqlog demo: two applications log to %s %s, about %.0f records/s each:%n"
                + "  dq-webdisplay  Log4j 2  han assessments, web display updates   (demo/src/main/resources/log4j2.xml)%n"
                + "  dq-histmerge   Logback  histogram merging, DCS calculator      (demo/src/main/resources/logback.xml)%n"
                + "Their warnings and errors show here; every record goes to the central log, and every ERROR%n"
                + "also becomes a panic (the first within about 20 s). In another terminal:%n"
                + "  ./dqlog search --since 10m app:dq-histmerge%n"
                + "  ./dqlog search --level ERROR%n"
                + "  ./dqlog tail -f%n", brokers, howLong, rate);
    }

    private static String format(Duration d) {
        long s = d.toSeconds();
        return s % 3600 == 0 ? s / 3600 + "h" : s % 60 == 0 ? s / 60 + "m" : s + "s";
    }

    static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("--duration needs a number with s, m or h: " + text);
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "h" -> Duration.ofHours(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofSeconds(n);
        };
    }

    private static double parseRate(String text) {
        try {
            double rate = Double.parseDouble(text);
            if (rate > 0 && rate <= 1000) {
                return rate;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--rate needs a number of records per second, 0 < N <= 1000: " + text);
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    private static String firstSet(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
