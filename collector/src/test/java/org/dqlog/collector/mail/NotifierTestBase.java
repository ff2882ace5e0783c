package org.dqlog.collector.mail;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.core.ConditionFactory;
import org.dqlog.core.testing.MutableClock;
import org.dqlog.core.testing.RecordingStatus;
import org.dqlog.testkit.Waits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** A notifier against a real SMTP server on loopback, with a clock the test moves. */
abstract class NotifierTestBase {

    /** A Monday morning, UTC. */
    static final Instant START = Instant.parse("2026-01-05T10:15:30Z");

    @TempDir
    Path dir;

    final MutableClock clock = new MutableClock(START);
    final RecordingStatus status = new RecordingStatus();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    SmtpServer smtp(SmtpServer server) {
        toClose.add(server);
        return server;
    }

    MailSettings.Builder settings(SmtpServer server) {
        return MailSettings.builder(dir.resolve("outbox"))
                .smtpHost("127.0.0.1").smtpPort(server.port())
                .from("dqlog@example.org").addRecipient("ops@example.org")
                .connectTimeout(Duration.ofSeconds(60)).readTimeout(Duration.ofSeconds(60))
                .retryInitialBackoff(Duration.ofMillis(50)).retryMaxBackoff(Duration.ofMillis(500))
                .zone(ZoneOffset.UTC);
    }

    Notifier start(MailSettings settings) throws Exception {
        Notifier n = Notifier.start(settings, status, clock, Duration.ofMillis(20));
        toClose.add(0, n);
        return n;
    }

    static ConditionFactory eventually() {
        return await().atMost(Waits.CONDITION).pollInterval(Duration.ofMillis(20));
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }
}
