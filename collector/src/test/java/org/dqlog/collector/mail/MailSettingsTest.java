package org.dqlog.collector.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MailSettingsTest {

    private final MailSettings.Builder builder = valid();

    private static MailSettings.Builder valid() {
        return MailSettings.builder(Path.of("outbox")).addRecipient("ops@example.org");
    }

    @Test
    void passcodeNeverAppearsInToString() {
        MailSettings s = builder.login("alerts").passcode("s3cret-value").build();

        assertThat(s.toString()).doesNotContain("s3cret-value").contains("passcode=***");
    }

    @Test
    void startTlsIsRequiredWhenLoggingInUnlessSaidOtherwise() {
        assertThat(builder.build().startTls()).isEqualTo(MailSettings.StartTls.OFF);
        assertThat(builder.login("alerts").build().startTls()).isEqualTo(MailSettings.StartTls.REQUIRED);
        assertThat(builder.login("alerts").startTls(MailSettings.StartTls.ENABLED).build().startTls())
                .isEqualTo(MailSettings.StartTls.ENABLED);
    }

    @Test
    void defaultsAreTheDocumentedConstants() {
        MailSettings s = builder.build();

        assertThat(s.smtpHost()).isEqualTo(MailSettings.DEFAULT_SMTP_HOST);
        assertThat(s.smtpPort()).isEqualTo(MailSettings.DEFAULT_SMTP_PORT);
        assertThat(s.stormWindow()).isEqualTo(MailSettings.DEFAULT_STORM_WINDOW);
        assertThat(s.maxMailsPerHour()).isEqualTo(MailSettings.DEFAULT_MAX_MAILS_PER_HOUR);
    }

    @Test
    void badConfigurationIsRejectedNamingTheSetting() {
        assertThatThrownBy(() -> MailSettings.builder(Path.of("o")).build()).hasMessageContaining("mail.to");
        assertThatThrownBy(() -> valid().addRecipient("not an address").build()).hasMessageContaining("mail.to");
        assertThatThrownBy(() -> MailSettings.builder(Path.of("o")).addRecipient("a@b.org")
                .addRoutingRule(new RoutingRule("db-*", null, List.of("bad@@x"), List.of())).build())
                .hasMessageContaining("mail.routes[db-* *].to");
        assertThatThrownBy(() -> valid().maxMailsPerHour(-1).build()).hasMessageContaining("mail.maxMailsPerHour");
    }
}
