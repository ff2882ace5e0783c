package org.dqlog.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CollectorMainTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return CollectorMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String errText() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void badConfigurationExitsWithTwoAndOneLineNamingFileAndKey() throws Exception {
        // given
        Path file = dir.resolve("collector.yaml");
        Files.writeString(file, "filez: 3\n");

        // when
        int code = run("--config", file.toString());

        // then
        assertThat(code).isEqualTo(2);
        assertThat(errText().lines()).hasSize(1);
        assertThat(errText()).startsWith("dqlog collector: ").contains("collector.yaml").contains("filez");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void missingConfigurationFileExitsWithTwo() {
        assertThat(run("--config", dir.resolve("nothing.yaml").toString())).isEqualTo(2);
        assertThat(errText()).contains("nothing.yaml").contains("cannot read");
    }

    @Test
    void missingConfigOptionIsAUsageError() {
        assertThat(run()).isEqualTo(2);
        assertThat(errText()).contains("--config FILE is required").contains("usage: dqlog collector");
    }

    @Test
    void aTrustStoreWithAWrongPasswordIsAConfigurationErrorNamingTheFile() throws Exception {
        // given a real trust store and a configuration with another password
        org.dqlog.testkit.TestCertificates certs = org.dqlog.testkit.TestCertificates.create(dir.resolve("certs"));
        Path file = dir.resolve("collector.yaml");
        Files.writeString(file, "brokers: [ssl://localhost:1]\ntls:\n  trustStore: " + certs.trustStore()
                + "\n  trustStorePassword: not-it\ndata: " + dir.resolve("data") + "\n");

        // when
        int code = run("--config", file.toString());

        // then it does not start (no "ready", no retries): exit 2 and one line
        assertThat(code).isEqualTo(2);
        assertThat(errText().strip()).contains(file.toString()).contains("cannot read the trust store "
                + certs.trustStore() + ": wrong password (or not a PKCS12 store)").doesNotContain("\n", "not-it");
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("ready");
    }
}
