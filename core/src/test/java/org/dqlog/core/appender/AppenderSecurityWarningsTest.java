package org.dqlog.core.appender;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.dqlog.core.Status;
import org.dqlog.core.config.ClientSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an appender says at start about its own settings, on its framework's status channel. */
class AppenderSecurityWarningsTest {

    @TempDir
    Path dir;

    final List<String> warnings = new CopyOnWriteArrayList<>();
    final Status status = new Status() {
        @Override public void info(String message) { }
        @Override public void warn(String message, Throwable cause) {
            if (message.contains("passcode")) { // not the sender's own reports about unreachable brokers
                warnings.add(message);
            }
        }
        @Override public void error(String message, Throwable cause) { }
    };

    private AppenderSettings settings(String brokers, Path passcodeFile) {
        return new AppenderSettings(ClientSettings.of(Map.of(), Map.of())).brokers(brokers)
                .login("dq").passcodeFile(passcodeFile.toString()).shutdownTimeout("100ms");
    }

    @Test
    void aPasscodeFileOthersCanReadIsNamedWithItsModeOnce() throws Exception {
        // given
        Path file = Files.writeString(dir.resolve("passcode"), "s3cret\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        // when
        AppenderBackend.start(settings("ssl://127.0.0.1:1", file), status).close();

        // then
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0)).contains(file.toString()).contains("rw-r--r--").contains("chmod 600")
                .doesNotContain("s3cret");
    }

    @Test
    void aPasscodeOverPlainTcpIsWarnedAboutOnceAndAnOwnerOnlyFileOverTlsNotAtAll() throws Exception {
        // given
        Path file = Files.writeString(dir.resolve("passcode"), "s3cret\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

        // when
        AppenderBackend.start(settings("tcp://127.0.0.1:1,ssl://127.0.0.1:2", file), status).close();
        AppenderBackend.start(settings("ssl://127.0.0.1:2", file), status).close();

        // then
        assertThat(warnings).containsExactly(
                "dqlog: the broker passcode goes in clear over plain TCP to tcp://127.0.0.1:1; use ssl:// (TLS) brokers");
    }
}
