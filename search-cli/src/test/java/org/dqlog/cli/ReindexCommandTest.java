package org.dqlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.dqlog.archive.LogLayout;
import org.dqlog.archive.StorageSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReindexCommandTest {

    @TempDir
    Path data;

    private static void deleteTree(Path dir) throws Exception {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void rebuildsTheIndexFromThePlainAndCompressedFiles() throws Exception {
        // given: files rolled and compressed, and the index lost
        try (LogFixture fixture = new LogFixture(data, StorageSettings.defaults(data).withMaxFileBytes(16 * 1024))) {
            fixture.generate(300, Duration.ofMinutes(20));
            fixture.compress();
        }
        assertThat(LogLayout.allFiles(LogLayout.logsDir(data))).anyMatch(LogLayout.LogFile::compressed);
        deleteTree(LogLayout.indexDir(data));
        Cli cli = new Cli(Map.of(), data);
        assertThat(cli.run("search", "-c", "--data", data.toString()).exitCode()).isEqualTo(2);

        // when
        Cli.Result r = cli.run("reindex", "--data", data.toString());

        // then
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).startsWith("reindexed 300 records from ");
        assertThat(cli.run("search", "-c", "--data", data.toString()).out()).isEqualTo("300\n");
    }

    @Test
    void refusesClearlyWhileACollectorHoldsTheIndex() throws Exception {
        try (LogFixture running = new LogFixture(data)) {
            running.generate(5, Duration.ofSeconds(1));

            Cli.Result r = new Cli(Map.of("DQLOG_DATA", data.toString()), data).run("reindex");

            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.err()).startsWith("dqlog: cannot reindex " + data).contains("in use by another process");
            assertThat(r.err().strip()).doesNotContain("\n");
        }
    }

    @Test
    void saysSoWhenThereAreNoFiles() throws Exception {
        Cli.Result r = new Cli(Map.of(), data).run("reindex", "--data", data.toString());

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith("dqlog: no per-host files under " + data);
    }
}
