package org.dqlog.collector.mail;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.ServerSetup;
import org.dqlog.core.config.TlsSettings;
import org.dqlog.testkit.TestCertificates;
import org.junit.jupiter.api.Test;

/**
 * SMTP AUTH and STARTTLS against GreenMail. GreenMail 2.1 has no STARTTLS command, so AUTH is
 * tested on plain SMTP, and STARTTLS only in its refusal: with STARTTLS required, a server that
 * does not offer it gets no mail (and no passcode).
 */
class NotifierSmtpAuthTest extends NotifierTestBase {

    private SmtpServer serverWithUser() {
        SmtpServer smtp = smtp(new SmtpServer(GreenMailConfiguration.aConfig().withUser("alerts@example.org", "alerts", "s3cret")));
        smtp.start();
        return smtp;
    }

    @Test
    void logsInWithConfiguredLoginAndPasscode() throws Exception {
        // given
        SmtpServer smtp = serverWithUser();
        Notifier notifier = start(settings(smtp).login("alerts").passcode("s3cret")
                .startTls(MailSettings.StartTls.OFF).build());

        // when
        notifier.accept(Panics.java("node7", "reco", "Reconstruction crashed"));

        // then
        eventually().until(() -> smtp.received().size() == 1);
        assertThat(notifier.sendFailing()).isFalse();
    }

    @Test
    void wrongPasscodeKeepsPanicQueuedAndNeverShowsThePasscode() throws Exception {
        // given
        SmtpServer smtp = serverWithUser();
        MailSettings settings = settings(smtp).login("alerts").passcode("wrong-secret")
                .startTls(MailSettings.StartTls.OFF).build();
        Notifier notifier = start(settings);

        // when
        notifier.accept(Panics.java("node7", "reco", "Reconstruction crashed"));

        // then
        eventually().until(notifier::sendFailing);
        assertThat(notifier.lastSendError()).get().asString().contains("AuthenticationFailed")
                .doesNotContain("wrong-secret");
        assertThat(status.messages()).isNotEmpty().noneMatch(m -> m.contains("wrong-secret"));
        assertThat(settings.toString()).doesNotContain("wrong-secret");
        assertThat(notifier.pendingInOutbox()).isEqualTo(1);
        assertThat(smtp.received()).isEmpty();
    }

    @Test
    void requiredStartTlsRefusesServerWithoutIt() throws Exception {
        // given a login, so STARTTLS is required by default
        SmtpServer smtp = serverWithUser();
        MailSettings settings = settings(smtp).login("alerts").passcode("s3cret").build();
        assertThat(settings.startTls()).isEqualTo(MailSettings.StartTls.REQUIRED);
        Notifier notifier = start(settings);

        // when
        notifier.accept(Panics.java("node7", "reco", "Reconstruction crashed"));

        // then
        eventually().until(notifier::sendFailing);
        assertThat(notifier.lastSendError()).get().asString().containsIgnoringCase("STARTTLS");
        assertThat(notifier.pendingInOutbox()).isEqualTo(1);
        assertThat(smtp.received()).isEmpty();
    }

    @Test
    void smtpsWithItsOwnTrustStoreLogsInOverTlsFromTheStart() throws Exception {
        // given an SMTPS server whose certificate (for localhost) only our own trust store holds
        // (with the JDK's default trust the handshake fails: certificate_unknown)
        TestCertificates certs = TestCertificates.create(dir.resolve("certs"));
        System.setProperty("greenmail.tls.keystore.file", certs.keyStore().toString());
        System.setProperty("greenmail.tls.keystore.password", TestCertificates.PASSWORD);
        System.setProperty("greenmail.tls.key.password", TestCertificates.PASSWORD);
        SmtpServer smtp = smtp(new SmtpServer(GreenMailConfiguration.aConfig()
                .withUser("alerts@example.org", "alerts", "s3cret"), ServerSetup.PROTOCOL_SMTPS));
        smtp.start();
        MailSettings settings = settings(smtp).smtpHost("localhost").ssl(true).login("alerts").passcode("s3cret")
                .tls(TlsSettings.builder().trustStore(certs.trustStore().toString())
                        .trustStorePassword(TestCertificates.PASSWORD).build()).build();
        Notifier notifier = start(settings);

        // when
        notifier.accept(Panics.java("node7", "reco", "Reconstruction crashed"));

        // then
        eventually().until(() -> smtp.received().size() == 1);
        assertThat(settings.loginInClear()).isFalse();
        assertThat(settings.startTls()).isEqualTo(MailSettings.StartTls.OFF);
    }
}
