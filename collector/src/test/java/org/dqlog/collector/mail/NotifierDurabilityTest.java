package org.dqlog.collector.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.dqlog.core.LogRecord;
import org.junit.jupiter.api.Test;

/** The outbox: nothing accepted is lost while SMTP is down or the notifier restarts. */
class NotifierDurabilityTest extends NotifierTestBase {

    @Test
    void acceptQueuesOnDiskWhileSmtpIsDownAndMailArrivesWhenItComesUp() throws Exception {
        // given an SMTP server that is not running
        SmtpServer smtp = smtp(new SmtpServer());
        Notifier notifier = start(settings(smtp).build());

        // when
        notifier.accept(Panics.java("node7", "reco", "Reconstruction crashed"));

        // then accept has returned with the panic on disk, and sending fails
        assertThat(panicFiles()).hasSize(1);
        eventually().until(notifier::sendFailing);
        assertThat(notifier.lastSendError()).get().asString().contains("Connect");
        assertThat(notifier.pendingInOutbox()).isEqualTo(1);
        assertThat(status.messages()).anyMatch(m -> m.startsWith("WARN cannot send panic mail"));

        // when the server comes up on its port
        smtp.start();

        // then the mail arrives and the outbox empties
        eventually().until(() -> smtp.received().size() == 1);
        assertThat(smtp.received().get(0).subject()).isEqualTo("[dqlog panic] node7 reco: Reconstruction crashed");
        eventually().until(() -> notifier.pendingInOutbox() == 0 && !notifier.sendFailing());
        assertThat(panicFiles()).isEmpty();
        assertThat(notifier.mailsSent()).isEqualTo(1);
    }

    @Test
    void restartedNotifierDeliversWhatTheOutboxHolds() throws Exception {
        // given panics accepted while SMTP was down, by a notifier that then stops
        SmtpServer smtp = smtp(new SmtpServer());
        MailSettings settings = settings(smtp).build();
        LogRecord python = Panics.python();
        LogRecord java = Panics.java("node7", "reco", "Reconstruction crashed\nwith\ttabs and ünïcödé");
        try (Notifier first = start(settings)) {
            first.accept(python);
            first.accept(java);
        }
        assertThat(panicFiles()).hasSize(2);

        // when SMTP is up and a new notifier starts on the same outbox
        smtp.start();
        Notifier second = start(settings);

        // then both panics are mailed, every field intact
        eventually().until(() -> smtp.received().size() == 2);
        List<String> bodies = smtp.received().stream().map(SmtpServer.Received::body).collect(Collectors.toList());
        assertThat(bodies).hasSize(2);
        assertThat(bodies).anySatisfy(body -> assertThat(body).startsWith(PanicMail.details(python)));
        assertThat(bodies).anySatisfy(body -> assertThat(body).startsWith(PanicMail.details(java)));
        eventually().until(() -> second.pendingInOutbox() == 0);
        assertThat(panicFiles()).isEmpty();
        assertThat(status.messages()).anyMatch(m -> m.startsWith("INFO 2 panic(s) pending in the mail outbox"));
    }

    @Test
    void acceptIsIdempotentForAPendingId() throws Exception {
        // given
        SmtpServer smtp = smtp(new SmtpServer());
        Notifier notifier = start(settings(smtp).build());
        LogRecord panic = Panics.java("node7", "reco", "Reconstruction crashed");

        // when the same record comes twice while it is pending
        notifier.accept(panic);
        notifier.accept(panic);

        // then it is queued once and mailed once
        assertThat(panicFiles()).hasSize(1);
        assertThat(notifier.panicsAccepted()).isEqualTo(1);
        smtp.start();
        eventually().until(() -> notifier.pendingInOutbox() == 0);
        assertThat(smtp.received()).hasSize(1);
    }

    @Test
    void unreadableOutboxFileIsSetAsideAndTheRestDelivered() throws Exception {
        // given an outbox with a damaged file, a stale temporary file and a good panic
        SmtpServer smtp = smtp(new SmtpServer());
        MailSettings settings = settings(smtp).build();
        try (Notifier first = start(settings)) {
            first.accept(Panics.java("node7", "reco", "Reconstruction crashed"));
        }
        Path outbox = dir.resolve("outbox");
        Files.writeString(outbox.resolve("0123456789abcdef0123456789abcdef.panic"), "format=something-else\n");
        Files.writeString(outbox.resolve("fedcba9876543210fedcba9876543210.tmp"), "half a fi");
        smtp.start();

        // when
        Notifier second = start(settings);

        // then
        eventually().until(() -> smtp.received().size() == 1 && second.pendingInOutbox() == 0);
        try (Stream<Path> files = Files.list(outbox)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactly("0123456789abcdef0123456789abcdef.bad");
        }
        assertThat(status.messages()).anyMatch(m -> m.startsWith("ERROR unreadable panic in the mail outbox"));
    }

    private List<Path> panicFiles() throws Exception {
        try (Stream<Path> files = Files.list(dir.resolve("outbox"))) {
            return files.filter(p -> p.toString().endsWith(".panic")).collect(Collectors.toList());
        }
    }
}
