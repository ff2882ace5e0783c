package org.dqlog.collector;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.dqlog.collector.config.CollectorConfig;
import org.dqlog.collector.config.ConfigException;

/** A collector.yaml for a test: its own data directory and destinations, a free HTTP port, quick commits. */
final class CollectorYaml {

    private final List<String> brokers;
    private final Path data;
    private final String prefix;
    private int maxRecords = 500;
    private String maxDelay = "50ms";
    private String commitInterval = "200ms";
    private String maxMessageBytes = "1MiB";
    private String minFreeBytes = "0";
    private boolean archiveProgress;
    private Integer smtpPort;
    private String stormWindow = "10m";
    private String extra = "";

    /** @param prefix makes the test's destinations its own ({@code /queue/PREFIX.logging}), so tests sharing brokers do not meet */
    CollectorYaml(List<String> brokers, Path data, String prefix) {
        this.brokers = brokers;
        this.data = data;
        this.prefix = prefix;
    }

    String logging() {
        return "/queue/" + prefix + ".logging";
    }

    String panic() {
        return "/queue/" + prefix + ".panic";
    }

    String progress() {
        return "/topic/" + prefix + ".progress";
    }

    Path data() {
        return data;
    }

    CollectorYaml batch(int records, String delay) {
        this.maxRecords = records;
        this.maxDelay = delay;
        return this;
    }

    CollectorYaml maxMessageBytes(String size) {
        this.maxMessageBytes = size;
        return this;
    }

    CollectorYaml minFreeBytes(String size) {
        this.minFreeBytes = size;
        return this;
    }

    CollectorYaml archiveProgress() {
        this.archiveProgress = true;
        return this;
    }

    /** Appends top-level YAML as it is (sections this class has no method for). */
    CollectorYaml extra(String yaml) {
        this.extra += yaml.endsWith("\n") ? yaml : yaml + "\n";
        return this;
    }

    CollectorYaml mail(int port, String window) {
        this.smtpPort = port;
        this.stormWindow = window;
        return this;
    }

    String text() {
        StringBuilder y = new StringBuilder();
        y.append("brokers:\n");
        brokers.forEach(b -> y.append("  - ").append(b).append('\n'));
        y.append("data: ").append(data.toAbsolutePath()).append('\n');
        y.append("destinations:\n")
                .append("  logging: ").append(logging()).append('\n')
                .append("  panic: ").append(panic()).append('\n')
                .append("  progress: ").append(progress()).append('\n')
                .append("  archiveProgress: ").append(archiveProgress).append('\n');
        y.append("batch:\n  maxRecords: ").append(maxRecords).append("\n  maxDelay: ").append(maxDelay).append('\n');
        y.append("prefetch: ").append(Math.max(1000, maxRecords)).append('\n');
        y.append("index:\n  commitInterval: ").append(commitInterval).append('\n');
        y.append("maxMessageBytes: ").append(maxMessageBytes).append('\n');
        y.append("minFreeBytes: ").append(minFreeBytes).append('\n');
        y.append("http:\n  port: 0\n");
        if (smtpPort != null) {
            y.append("mail:\n")
                    .append("  smtp:\n    host: 127.0.0.1\n    port: ").append(smtpPort).append('\n')
                    .append("    connectTimeout: 60s\n    readTimeout: 60s\n")
                    .append("  to: [oncall@example.org]\n")
                    .append("  stormWindow: ").append(stormWindow).append('\n')
                    .append("  maxMailsPerHour: 0\n")
                    .append("  retryInitialBackoff: 200ms\n")
                    .append("  retryMaxBackoff: 1s\n");
        }
        return y.append(extra).toString();
    }

    /** Writes {@code collector.yaml} beside the data directory and returns its path. */
    Path write() throws IOException {
        Path file = data.toAbsolutePath().getParent().resolve(prefix + "-collector.yaml");
        Files.writeString(file, text());
        return file;
    }

    /** Read as the collector reads its file (no fallbacks from this JVM's settings). */
    CollectorConfig config() throws IOException, ConfigException {
        return CollectorConfig.load(write(), Map.of(), Map.of());
    }
}
