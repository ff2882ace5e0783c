package org.dqlog.cli.up;

import java.nio.file.Path;

/**
 * What {@code ./dqlog up} runs with.
 *
 * @param dataDir        absolute; the broker's store goes to {@code broker/}, mails to {@code mail/}, the collector's data to the rest
 * @param brokerPort     STOMP port of the embedded broker (0: any free port)
 * @param smtpPort       port the mail sink tries first (taken: any free port; 0: any free port)
 * @param httpPort       port of the collector's /health the stack tries first (taken: any free port)
 * @param demoCommand    the command that starts the demo applications, or null for none
 * @param exitOnStdinEof stop when standard input ends (a test's child process)
 */
public record UpSettings(Path dataDir, int brokerPort, int smtpPort, int httpPort, java.util.List<String> demoCommand,
                         boolean exitOnStdinEof) {

    /** Loopback only: nothing of {@code ./dqlog up} is meant to be reached from another machine. */
    public static final String HOST = "127.0.0.1";
    public static final String BROKER_DIR = "broker";
    public static final String MAIL_DIR = "mail";
    /** The collector configuration that {@code up} writes at each start, for the curious and as a template. */
    public static final String COLLECTOR_CONFIG = "up-collector.yaml";
    public static final String LOCK_FILE = "up.lock";

    public Path brokerDir() {
        return dataDir.resolve(BROKER_DIR);
    }

    public Path mailDir() {
        return dataDir.resolve(MAIL_DIR);
    }
}
