package org.dqlog.cli.up;

import java.net.URI;
import java.nio.file.Path;

/**
 * What {@code ./dqlog up} prints once everything runs: one line for programs (tests wait for it),
 * then where everything is and what to try, for people.
 */
final class Banner {

    /** The start of the line programs wait for: {@value}. */
    static final String READY_PREFIX = "dqlog-up ready ";

    private Banner() { }

    /** {@code dqlog-up ready broker=tcp://127.0.0.1:61613 data=/abs smtp=127.0.0.1:2525 http=http://127.0.0.1:9465}. */
    static String readyLine(LocalStack stack) {
        URI health = stack.healthUri();
        return READY_PREFIX + "broker=" + stack.brokerUri() + " data=" + stack.dataDir() + " smtp="
                + stack.smtpAddress() + " http=" + (health == null ? "off" : health.resolve("/").toString()
                        .replaceAll("/$", ""));
    }

    /**
     * @param dqlog         how the user runs dqlog here ({@code ./dqlog}, {@code /opt/dqlog/dqlog}, {@code java -jar dqlog.jar})
     * @param demoAvailable whether {@code dqlog demo} exists there (the launcher has it, the jar has not)
     */
    static String forPeople(LocalStack stack, String dqlog, boolean demoAvailable, Path workingDirectory) {
        String broker = stack.brokerUri().toString();
        boolean defaultData = stack.dataDir().equals(workingDirectory.resolve("dqlog-data").toAbsolutePath().normalize());
        String data = defaultData ? "" : " --data " + stack.dataDir();
        String env = "DQLOG_BROKERS=" + broker;
        URI health = stack.healthUri();
        StringBuilder b = new StringBuilder(1024);
        b.append('\n');
        b.append("dqlog is up: a broker, a collector and a mail sink, all on this machine.\n");
        b.append('\n');
        b.append(row("broker", broker, "where appenders and scripts send: brokers=, DQLOG_BROKERS"));
        b.append(row("data", stack.dataDir() + "/", "per-host log files in logs/, the index in index/"));
        b.append(row("panic mail", stack.mailDir() + "/", "each panic mail as an .eml file; SMTP sink on "
                + stack.smtpAddress()));
        b.append(row("health", health == null ? "off" : health.toString(), "collector health; /metrics for Prometheus"));
        b.append(row("config", stack.collectorConfigFile().toString(), "the collector configuration up runs with"));
        b.append('\n');
        b.append(stack.demoStarted()
                ? "The demo applications are starting; their warnings and errors show below.\n"
                : "");
        b.append("Try, in another terminal in this folder:\n");
        if (demoAvailable && !stack.demoStarted()) {
            // The demo's own default is the default broker: name this one, whatever port it has.
            b.append("  ").append(env).append(' ').append(dqlog).append(" demo   # two sample apps (Log4j 2, Logback) log here\n");
        }
        b.append("  ").append(dqlog).append(" search --since 10m").append(data)
                .append("            # what arrived in the last 10 minutes\n");
        b.append("  ").append(dqlog).append(" search --level ERROR").append(data)
                .append("          # errors and panics\n");
        b.append("  ").append(dqlog).append(" tail -f").append(data)
                .append("                       # follow new records (Ctrl-C ends)\n");
        b.append("  ").append(env).append(' ').append(dqlog).append(" panic \"test\"\n");
        b.append("  ls ").append(stack.mailDir()).append("/   # its mail, a few seconds later\n");
        b.append('\n');
        b.append("Ctrl-C stops everything; running up again here reuses the data.\n");
        return b.toString();
    }

    private static String row(String what, String where, String note) {
        return String.format("  %-11s %s   (%s)%n", what, where, note);
    }
}
