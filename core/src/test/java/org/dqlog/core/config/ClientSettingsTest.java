package org.dqlog.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientSettingsTest {

    @TempDir
    Path temp;

    @Test
    void environmentNamesFollowTheSettingsTable() {
        assertThat(ClientSettings.environmentName("brokers")).isEqualTo("DQLOG_BROKERS");
        assertThat(ClientSettings.environmentName("passcodeFile")).isEqualTo("DQLOG_PASSCODE_FILE");
        assertThat(ClientSettings.environmentName("trustStorePassword")).isEqualTo("DQLOG_TRUST_STORE_PASSWORD");
        assertThat(ClientSettings.propertyName("trustStore")).isEqualTo("dqlog.trustStore");
    }

    @Test
    void systemPropertyWinsOverEnvironmentAndExplicitValueWinsOverBoth() {
        // given
        ClientSettings settings = ClientSettings.of(
                Map.of("dqlog.brokers", "tcp://prop:1", "dqlog.app", "prop-app"),
                Map.of("DQLOG_BROKERS", "tcp://env:1", "DQLOG_APP", "env-app", "DQLOG_LOGIN", "env-user"));

        // when
        ClientSettings explicit = settings.withExplicit("app", "attr-app").withExplicit("login", "  ");

        // then
        assertThat(settings.brokers()).containsExactly(BrokerAddress.parse("tcp://prop:1"));
        assertThat(settings.app()).isEqualTo("prop-app");
        assertThat(explicit.app()).isEqualTo("attr-app");
        assertThat(explicit.credentials().login()).isEqualTo("env-user");
        assertThat(ClientSettings.of(Map.of(), Map.of()).brokers()).isEmpty();
    }

    @Test
    void passcodeComesFromAFileWithoutItsTrailingNewline() throws Exception {
        // given
        Path file = temp.resolve("passcode");
        Files.write(file, "pa:ss\n".getBytes(StandardCharsets.UTF_8));
        ClientSettings settings = ClientSettings.of(Map.of(), Map.of("DQLOG_LOGIN", "u", "DQLOG_PASSCODE_FILE", file.toString()));

        // when
        Credentials credentials = settings.credentials();

        // then
        assertThat(credentials.login()).isEqualTo("u");
        assertThat(credentials.passcode()).isEqualTo("pa:ss");
        assertThat(credentials.toString()).doesNotContain("pa:ss");
        assertThat(settings.toString()).doesNotContain("pa:ss");
    }

    @Test
    void theMostSpecificSourceDecidesBetweenPasscodeAndPasscodeFile() throws Exception {
        // given: the environment has a literal passcode, the explicit configuration a file
        Path file = temp.resolve("passcode");
        Files.write(file, "from-file".getBytes(StandardCharsets.UTF_8));
        ClientSettings settings = ClientSettings.of(Map.of(), Map.of("DQLOG_PASSCODE", "from-env"));

        // then
        assertThat(settings.credentials().passcode()).isEqualTo("from-env");
        assertThat(settings.withExplicit("passcodeFile", file.toString()).credentials().passcode()).isEqualTo("from-file");
        assertThat(ClientSettings.of(Map.of("dqlog.passcode", "p", "dqlog.passcodeFile", file.toString()), Map.of())
                .credentials().passcode()).isEqualTo("p");
    }

    @Test
    void unreadablePasscodeFileFailsNamingTheFile() {
        // given
        Path missing = temp.resolve("no-such-file");
        ClientSettings settings = ClientSettings.of(Map.of("dqlog.passcodeFile", missing.toString()), Map.of());

        // when / then
        assertThatThrownBy(settings::credentials)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(missing.toString());
    }

    @Test
    void tlsSettingsComeFromTheSameSources() {
        // given
        ClientSettings settings = ClientSettings.of(Map.of("dqlog.trustStore", "/etc/dqlog/trust.p12"),
                Map.of("DQLOG_TRUST_STORE_PASSWORD", "tpw", "DQLOG_KEY_STORE", "/etc/dqlog/key.jks", "DQLOG_KEY_STORE_TYPE", "JKS"));

        // when
        TlsSettings tls = settings.tls();

        // then
        assertThat(tls.trustStore()).isEqualTo("/etc/dqlog/trust.p12");
        assertThat(tls.keyStore()).isEqualTo("/etc/dqlog/key.jks");
        assertThat(tls.toString()).contains("JKS").contains("PKCS12").doesNotContain("tpw");
    }

    @Test
    void credentialsWithoutAnythingAreNone() {
        assertThat(ClientSettings.of(Map.of(), Map.of()).credentials()).isSameAs(Credentials.NONE);
        assertThat(Credentials.of("u", null).toString()).contains("login=u").contains("passcode=none");
    }
}
