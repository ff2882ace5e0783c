package org.dqlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DqlogCommandTest {

    @TempDir
    Path cwd;

    private Cli.Result run(String... args) {
        return new Cli(Map.of(), cwd).run(args);
    }

    @Test
    void helpListsEverySubcommandAndExitCodes() {
        Cli.Result r = run("--help");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("search", "tail", "reindex", "panic", "run", "notify", "listen", "completion",
                "Exit status:");
    }

    @ParameterizedTest
    @ValueSource(strings = {"search", "tail", "reindex", "panic", "run", "notify", "listen", "completion"})
    void everySubcommandHasHelp(String sub) {
        Cli.Result r = run(sub, "--help");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("Usage: dqlog " + sub, "--help");
    }

    @Test
    void versionNamesTheProjectVersion() {
        Cli.Result r = run("--version");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).startsWith("dqlog 0.").doesNotContain("${");
    }

    @Test
    void completionPrintsABashScriptCoveringSubcommandsAndOptions() {
        Cli.Result r = run("completion");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("complete -F", "search", "--max-count", "--follow", "notify", "listen", "--durable",
                "--unsubscribe");
    }

    @Test
    void withoutACommandPrintsUsageAndExitsTwo() {
        Cli.Result r = run();

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("Usage: dqlog");
    }
}
