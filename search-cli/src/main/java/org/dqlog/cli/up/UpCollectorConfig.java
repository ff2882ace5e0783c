package org.dqlog.cli.up;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.dqlog.collector.config.CollectorConfig;
import org.dqlog.collector.config.ConfigException;

/**
 * The collector configuration of {@code ./dqlog up}, written as YAML (so that it doubles as a
 * readable example next to the data) and read back by the collector's own parser: the embedded
 * broker, the data directory, panic mail to the local sink with a short storm window, and the
 * health endpoint.
 */
final class UpCollectorConfig {

    /** Identical panics within this window become one mail: short, so that trying things out shows every mail. */
    static final String STORM_WINDOW = "1m";
    static final String MAIL_FROM = "dqlog@localhost";
    static final String MAIL_TO = "oncall@localhost";

    private UpCollectorConfig() { }

    static String yaml(URI broker, Path dataDir, String smtpHost, int smtpPort, int httpPort) {
        return "# Written by ./dqlog up at every start (changes here are overwritten).\n"
                + "# For a real collector, start from examples/collector.yaml; reference: docs/collector.md.\n"
                + "brokers:\n"
                + "  - " + quoted(broker.toString()) + "\n"
                + "data: " + quoted(dataDir.toString()) + "\n"
                + "minFreeBytes: 64MiB\n"
                + "http:\n"
                + "  bind: " + UpSettings.HOST + "\n"
                + "  port: " + httpPort + "\n"
                + "mail:\n"
                + "  smtp:\n"
                + "    host: " + smtpHost + "\n"
                + "    port: " + smtpPort + "\n"
                + "    starttls: \"off\"\n"
                + "    connectTimeout: 5s\n"
                + "    readTimeout: 10s\n"
                + "  from: " + MAIL_FROM + "\n"
                + "  to: " + MAIL_TO + "\n"
                + "  stormWindow: " + STORM_WINDOW + "\n"
                + "  maxMailsPerHour: 120\n"
                + "  retryInitialBackoff: 1s\n"
                + "  retryMaxBackoff: 30s\n";
    }

    /**
     * Reads {@code yaml} with the collector's parser. No system property or environment variable
     * takes part: a {@code DQLOG_PASSCODE_FILE} meant for the real brokers must not break the local one.
     */
    static CollectorConfig parse(String yaml, Path source) throws ConfigException {
        return CollectorConfig.parse(yaml, source.toString(), source.getParent(), Map.of(), Map.of());
    }

    /** A YAML single-quoted scalar: any path, with colons, hashes or spaces, reads back as it was. */
    private static String quoted(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
