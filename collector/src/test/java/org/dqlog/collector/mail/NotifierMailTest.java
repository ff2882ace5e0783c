package org.dqlog.collector.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.dqlog.core.LogRecord;
import org.junit.jupiter.api.Test;

/** What arrives at a real SMTP server: content, recipients, coalescing, rate limit, quiet windows. */
class NotifierMailTest extends NotifierTestBase {

    @Test
    void panicBecomesMailWithSubjectBodyAndRecipients() throws Exception {
        // given
        SmtpServer smtp = smtp(SmtpServer.started());
        Notifier notifier = start(settings(smtp).recipients(List.of("ops@example.org", "expert@example.org")).build());
        LogRecord panic = Panics.java("node7", "reco", "Reconstruction crashed\nsecond line of the message");

        // when
        notifier.accept(panic);

        // then
        eventually().until(() -> smtp.received().size() == 2);
        SmtpServer.Received mail = smtp.received().get(0);
        assertThat(mail.subject()).isEqualTo("[dqlog panic] node7 reco: Reconstruction crashed");
        assertThat(mail.to()).containsExactly("ops@example.org", "expert@example.org");
        assertThat(mail.header("From")).isEqualTo("dqlog@example.org");
        assertThat(mail.header("Auto-Submitted")).isEqualTo("auto-generated");
        assertThat(mail.header("X-Dqlog-Kind")).isEqualTo("PANIC");
        assertThat(mail.header("Content-Type")).contains("text/plain").containsIgnoringCase("charset=UTF-8");
        assertThat(mail.body())
                .startsWith("Reconstruction crashed\nsecond line of the message\n\n")
                .contains("Host:         node7\n", "App:          reco\n", "PID:          4242\n",
                        "Logger:       org.example.Reconstruction\n", "Level:        FATAL\n",
                        "Time (UTC):   2026-01-05T10:15:30.123456Z\n", "Record id:    " + panic.id() + "\n",
                        "Exception: java.lang.IllegalStateException: tape robot stuck\n",
                        "\tat org.example.Robot.load(Robot.java:42)\n",
                        "MDC:\n  run = 261070\n  stream = physics_Main");
        eventually().until(() -> notifier.pendingInOutbox() == 0);
        assertThat(notifier.mailsSent()).isEqualTo(1);
        assertThat(notifier.panicsAccepted()).isEqualTo(1);
        assertThat(notifier.lastSendError()).isEmpty();
    }

    @Test
    void pythonPanicRendersEveryFieldItSent() throws Exception {
        // given
        SmtpServer smtp = smtp(SmtpServer.started());
        Notifier notifier = start(settings(smtp).build());

        // when
        notifier.accept(Panics.python());

        // then
        eventually().until(() -> smtp.received().size() == 1);
        SmtpServer.Received mail = smtp.received().get(0);
        assertThat(mail.subject()).isEqualTo(
                "[dqlog panic] unknown-host dcsc.py: DCS Calculator failed to execute in run 261070 for system Pixel");
        assertThat(mail.body()).isEqualTo(String.join("\n",
                "DCS Calculator failed to execute in run 261070 for system Pixel",
                "",
                "Host:         unknown-host",
                "App:          dcsc.py (no app given)",
                "Time (UTC):   2015-04-13T10:02:57.908Z",
                "Local time:   2015-04-13 12:02:57 CEST",
                "Command:      /usr/local/bin/dcsc.py",
                "Arguments:    -r 261070 --email-on-failure",
                "Command line: /usr/local/bin/dcsc.py -r 261070 --email-on-failure",
                "Directory:    /var/lib/dqm",
                "Record id:    ID:broker-1-1428919377908-1:1:1:1:1",
                "",
                "Traceback:",
                "  File \"/usr/local/bin/dcsc.py\", line 12, in <module>",
                "    main()",
                "  File \"/usr/lib/python3/dist-packages/DCSCalculator2/main.py\", line 480, in main",
                "    panic(msg)",
                "",
                "-- ",
                "More panics like this one (same host, app and message) within 10 minutes are counted in one"
                        + " follow-up mail."));
    }

    @Test
    void messageCannotInjectHeadersOrRecipients() throws Exception {
        // given
        SmtpServer smtp = smtp(SmtpServer.started());
        Notifier notifier = start(settings(smtp).build());
        LogRecord hostile = Panics.java("node7\r\nX-Evil: 1", "reco",
                "disk full\r\nBcc: attacker@evil.example\r\nX-Evil: 2\u0000\u2028tail");

        // when
        notifier.accept(hostile);

        // then
        eventually().until(() -> notifier.mailsSent() == 1);
        List<SmtpServer.Received> mails = smtp.received();
        assertThat(mails).hasSize(1);
        assertThat(mails.get(0).to()).containsExactly("ops@example.org");
        assertThat(mails.get(0).header("Bcc")).isNull();
        assertThat(mails.get(0).header("X-Evil")).isNull();
        assertThat(mails.get(0).subject()).isEqualTo("[dqlog panic] node7  X-Evil: 1 reco: disk full");
        assertThat(mails.get(0).body()).contains("Bcc: attacker@evil.example\nX-Evil: 2\\u0000");
    }

    @Test
    void thousandIdenticalPanicsMakeFirstMailAndOneFollowUpWithCount() throws Exception {
        // given
        SmtpServer smtp = smtp(SmtpServer.started());
        Notifier notifier = start(settings(smtp).stormWindow(Duration.ofMinutes(10)).maxMailsPerHour(0).build());

        // when
        for (int i = 0; i < 1000; i++) {
            notifier.accept(Panics.java("node7", "reco", "Reconstruction crashed"));
        }

        // then the first is mailed at once
        eventually().until(() -> smtp.received().size() == 1);
        assertThat(smtp.received().get(0).subject()).isEqualTo("[dqlog panic] node7 reco: Reconstruction crashed");
        assertThat(smtp.received().get(0).body()).endsWith("\n-- \nMore panics like this one (same host, app and"
                + " message) within 10 minutes are counted in one follow-up mail.");

        // when the storm window ends
        clock.advance(Duration.ofMinutes(10));

        // then one follow-up counts the rest, and nothing else is pending
        eventually().until(() -> smtp.received().size() == 2);
        SmtpServer.Received followUp = smtp.received().get(1);
        assertThat(followUp.subject()).isEqualTo("[dqlog panic] node7 reco: Reconstruction crashed (x999)");
        assertThat(followUp.header("X-Dqlog-Kind")).isEqualTo("FOLLOW_UP");
        assertThat(followUp.body()).startsWith("This panic happened 999 more times since 2026-01-05T10:15:30Z");
        assertThat(followUp.body()).doesNotContain("follow-up mail");
        eventually().until(() -> notifier.pendingInOutbox() == 0);
        assertThat(notifier.panicsAccepted()).isEqualTo(1000);
        assertThat(notifier.mailsSent()).isEqualTo(2);
        assertThat(outboxFiles()).isEmpty();
    }

    @Test
    void rateLimitHoldsBackAndSendsDigestWhenAllowed() throws Exception {
        // given a cap of 2 mails per hour
        SmtpServer smtp = smtp(SmtpServer.started());
        Notifier notifier = start(settings(smtp).maxMailsPerHour(2).build());

        // when five different panics come at once
        for (int i = 1; i <= 5; i++) {
            notifier.accept(Panics.java("node" + i, "reco", "disk " + i + " failed"));
        }

        // then two are mailed, three held back
        eventually().until(() -> smtp.received().size() == 2 && notifier.mailsHeld() == 3);
        assertThat(subjects(smtp)).containsExactly("[dqlog panic] node1 reco: disk 1 failed",
                "[dqlog panic] node2 reco: disk 2 failed");

        // when the hour has passed
        clock.advance(Duration.ofMinutes(61));

        // then one digest lists what was held back
        eventually().until(() -> smtp.received().size() == 3);
        SmtpServer.Received digest = smtp.received().get(2);
        assertThat(digest.subject()).isEqualTo("[dqlog panic] digest: 3 panics (3 kinds) held back");
        assertThat(digest.header("X-Dqlog-Kind")).isEqualTo("DIGEST");
        assertThat(digest.body())
                .contains("held back by the rate limit of 2 mails per hour")
                .contains("node3 reco: disk 3 failed", "node4 reco: disk 4 failed", "node5 reco: disk 5 failed")
                .doesNotContain("disk 1 failed");
        eventually().until(() -> notifier.pendingInOutbox() == 0 && notifier.mailsHeld() == 0);
    }

    @Test
    void routingRulesChooseRecipientsFirstMatchWins() throws Exception {
        // given
        SmtpServer smtp = smtp(SmtpServer.started());
        Notifier notifier = start(settings(smtp)
                .addRoutingRule(new RoutingRule("db-*", "*", List.of("dba@example.org"), List.of()))
                .addRoutingRule(new RoutingRule("*", "web*", List.of("web@example.org", "ops@example.org"), List.of()))
                .build());

        // when
        notifier.accept(Panics.java("db-3", "webdisplay", "replication broken"));
        notifier.accept(Panics.java("node7", "WebDisplay", "page crashed"));
        notifier.accept(Panics.java("node7", "cron", "job failed"));

        // then
        eventually().until(() -> notifier.mailsSent() == 3);
        Map<String, List<String>> to = smtp.received().stream()
                .collect(Collectors.toMap(SmtpServer.Received::subject, SmtpServer.Received::to, (a, b) -> a));
        assertThat(to).containsOnly(
                Map.entry("[dqlog panic] db-3 webdisplay: replication broken", List.of("dba@example.org")),
                Map.entry("[dqlog panic] node7 WebDisplay: page crashed", List.of("web@example.org", "ops@example.org")),
                Map.entry("[dqlog panic] node7 cron: job failed", List.of("ops@example.org")));
    }

    @Test
    void quietWindowHoldsMailsAndSendsThemWhenItEnds() throws Exception {
        // given a quiet night for the lab hosts, at 23:00
        clock.set(Instant.parse("2026-01-05T23:00:00Z"));
        SmtpServer smtp = smtp(SmtpServer.started());
        Notifier notifier = start(settings(smtp)
                .addRoutingRule(new RoutingRule("lab-*", null, List.of(), List.of(QuietWindow.parse("22:00-07:00"))))
                .build());

        // when a lab panic storms and a production host panics
        for (int i = 0; i < 3; i++) {
            notifier.accept(Panics.java("lab-1", "daq", "tape robot stuck"));
        }
        notifier.accept(Panics.java("prod-1", "daq", "database down"));

        // then only production is mailed at night
        eventually().until(() -> smtp.received().size() == 1 && notifier.mailsHeld() == 1);
        assertThat(smtp.received().get(0).subject()).isEqualTo("[dqlog panic] prod-1 daq: database down");
        eventually().until(() -> notifier.pendingInOutbox() == 3);

        // when the window ends
        clock.set(Instant.parse("2026-01-06T07:00:00Z"));

        // then the held storm arrives as one mail
        eventually().until(() -> smtp.received().size() == 2);
        SmtpServer.Received released = smtp.received().get(1);
        assertThat(released.subject()).isEqualTo("[dqlog panic] lab-1 daq: tape robot stuck (x3)");
        assertThat(released.body()).startsWith("This panic happened 3 times from 2026-01-05T23:00:00Z to 2026-01-05T23:00:00Z,"
                + " held back during a quiet window (22:00-07:00).");
        eventually().until(() -> notifier.pendingInOutbox() == 0);
    }

    private List<String> outboxFiles() throws Exception {
        try (var files = java.nio.file.Files.list(dir.resolve("outbox"))) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toList());
        }
    }

    private static List<String> subjects(SmtpServer smtp) {
        return smtp.received().stream().map(SmtpServer.Received::subject).sorted().collect(Collectors.toList());
    }
}
