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
}
