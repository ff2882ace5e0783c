package org.dqlog.core.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.dqlog.core.config.BrokerAddress;
import org.dqlog.core.config.ClientSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SenderConfigTest {

    @TempDir
    Path temp;

    @Test
    void explicitValuesWinOverSystemPropertiesWhichWinOverTheEnvironment() {
        // given
        ClientSettings settings = ClientSettings.of(
                Map.of("dqlog.brokers", "tcp://prop:61613", "dqlog.login", "prop-user"),
                Map.of("DQLOG_BROKERS", "tcp://env:61613", "DQLOG_LOGIN", "env-user", "DQLOG_APP", "env-app",
                        "DQLOG_PASSCODE", "env-secret"));

        // when
        SenderConfig fromSources = SenderConfig.builder().settings(settings).build();
        SenderConfig explicit = SenderConfig.builder().settings(settings).brokers("tcp://given:61613").app("given-app").build();

        // then
        assertThat(fromSources.brokers()).containsExactly(BrokerAddress.parse("tcp://prop:61613"));
        assertThat(fromSources.credentials().login()).isEqualTo("prop-user");
        assertThat(fromSources.credentials().passcode()).isEqualTo("env-secret");
        assertThat(fromSources.app()).isEqualTo("env-app");
        assertThat(explicit.brokers()).containsExactly(BrokerAddress.parse("tcp://given:61613"));
        assertThat(explicit.app()).isEqualTo("given-app");
        assertThat(explicit.sessionConfig().credentials().passcode()).isEqualTo("env-secret");
    }

    @Test
    void defaultsAreTheDocumentedConstantsAndTheDefaultSpoolIsPerAppUnderTheTemporaryDirectory() {
        // when
        SenderConfig config = SenderConfig.builder().settings(ClientSettings.of(Map.of(), Map.of()))
                .brokers("tcp://h:61613").app("my app/1").build();

        // then
        assertThat(config.loggingDestination()).isEqualTo("/queue/atlas.dqm.logging");
        assertThat(config.panicDestination()).isEqualTo("/queue/atlas.dqm.panic");
        assertThat(config.queueCapacity()).isEqualTo(SenderConfig.DEFAULT_QUEUE_CAPACITY);
        assertThat(config.batchMaxRecords()).isEqualTo(SenderConfig.DEFAULT_BATCH_MAX_RECORDS);
        assertThat(config.shutdownTimeout()).isEqualTo(SenderConfig.DEFAULT_SHUTDOWN_TIMEOUT);
        assertThat(config.spoolDir()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir"),
                "dqlog-spool-" + System.getProperty("user.name"), "my_app_1"));
        assertThat(config.isSpoolDirExplicit()).isFalse();
        assertThat(SenderConfig.builder().settings(ClientSettings.of(Map.of(), Map.of())).brokers("tcp://h:61613")
                .spoolEnabled(false).build().spoolDir()).isNull();
    }

    @Test
    void aMissingBrokerListOrABadValueIsRefusedNamingTheSetting() {
        ClientSettings none = ClientSettings.of(Map.of(), Map.of());
        assertThatThrownBy(() -> SenderConfig.builder().settings(none).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dqlog.brokers")
                .hasMessageContaining("DQLOG_BROKERS");
        assertThatThrownBy(() -> SenderConfig.builder().settings(none).brokers("tcp://h:1").queueCapacity(0).build())
                .hasMessageContaining("queueCapacity");
        assertThatThrownBy(() -> SenderConfig.builder().settings(none).brokers("tcp://h:1").extraHeader("MsgType", "x").build())
                .hasMessageContaining("MsgType");
        assertThatThrownBy(() -> SenderConfig.builder().settings(none).brokers("tcp://h:1").maxRecordBytes(2048)
                .queueMaxBytes(1024).build()).hasMessageContaining("maxRecordBytes");
        assertThatThrownBy(() -> SenderConfig.builder().settings(none).brokers("tcp://h:1")
                .shutdownTimeout(Duration.ZERO).build()).hasMessageContaining("shutdownTimeout");
    }

    @Test
    void thePasscodeFromAFileNeverAppearsInTheTextOfTheConfiguration() throws Exception {
        // given
        Path file = temp.resolve("passcode");
        Files.writeString(file, "s3cr3t-word\n");

        // when
        SenderConfig config = SenderConfig.builder().settings(ClientSettings.of(Map.of(), Map.of()))
                .brokers("tcp://h:61613").login("dq").passcodeFile(file.toString()).build();

        // then
        assertThat(config.credentials().passcode()).isEqualTo("s3cr3t-word");
        assertThat(config.toString()).doesNotContain("s3cr3t").contains("login=dq");
    }
}
