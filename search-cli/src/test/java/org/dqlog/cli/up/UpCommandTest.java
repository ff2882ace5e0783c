package org.dqlog.cli.up;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.dqlog.cli.CliEnvironment;
import org.dqlog.cli.DqlogCommand;
import org.dqlog.core.Panic;
import org.dqlog.core.RecordIds;
import org.dqlog.core.Status;
import org.dqlog.core.config.ClientSettings;
import org.dqlog.testkit.ChildProcess;
import org.dqlog.testkit.ProcessReaper;
import org.dqlog.testkit.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code dqlog up} end to end, as a user runs it: a child JVM in a fresh folder; a panic sent to
 * its broker is searchable under {@code ./dqlog-data} and arrives as an {@code .eml} file; SIGTERM
 * stops it cleanly; a second run in the same folder finds the data of the first.
 */
class UpCommandTest {

    static final Duration START = Waits.PROCESS;
    static final Duration ARRIVE = Waits.CONDITION;
    static final Pattern READY = Pattern.compile("dqlog-up ready broker=(\\S+) data=(\\S+) smtp=(\\S+) http=(\\S+)");

    @RegisterExtension
    static ProcessReaper reaper = new ProcessReaper();

    @TempDir
    Path folder;

    @Test
    void panicIsSearchableAndMailedAndSurvivesARestart() throws IOException {
        // given dqlog up in a fresh folder
        ChildProcess up = startUp();
        MatchResult ready = up.awaitLine(READY, START);
        String broker = ready.group(1);
        Path data = Path.of(ready.group(2));
        assertThat(data).isEqualTo(folder.resolve("dqlog-data").toAbsolutePath().normalize());
        String word = "upcheck" + RecordIds.randomInstanceId().toLowerCase();
        // and the commands its banner suggests name its broker (port 0 here: not the default one)
        await().atMost(START).until(() -> up.lines().stream().anyMatch(l -> l.startsWith("Ctrl-C stops everything")));
        assertThat(up.lines()).filteredOn(l -> l.contains("./dqlog demo") || l.contains("./dqlog panic"))
                .hasSize(2).allSatisfy(l -> assertThat(l).contains("DQLOG_BROKERS=" + broker + " ./dqlog "));

        // when a panic goes to its broker
        ClientSettings settings = ClientSettings.of(Map.of("dqlog.brokers", broker, "dqlog.app", "up-test"), Map.of());
        assertThat(Panic.send(Panic.newPanic("merge of run 261070 failed " + word, settings).build(), settings,
                Waits.CONDITION, Status.SILENT)).isTrue();

        // then it is searchable in ./dqlog-data, and its mail is in ./dqlog-data/mail
        await().atMost(ARRIVE).untilAsserted(() -> assertThat(search(word)).contains("merge of run 261070 failed " + word));
        await().atMost(ARRIVE).until(() -> mailsMentioning(data.resolve("mail"), word) == 1);

        // when SIGTERM, then everything stops cleanly within bounds
        assertThat(up.terminate(Waits.PROCESS)).as(up.describe("did not stop on SIGTERM")).isTrue();
        assertThat(up.awaitOutputClosed(Waits.PROCESS)).isTrue();
        assertThat(up.lines()).anyMatch(l -> l.startsWith("dqlog up: stopped"));
        assertThat(up.lines()).noneMatch(l -> l.contains("Exception") || l.matches("\\S+Z (WARN|ERROR) .*"));
        // and all that it wrote of it is the user's alone (ActiveMQ's own store files sit in an owner-only folder)
        assertThat(modes(data)).allSatisfy((path, mode) -> assertThat(mode).as(path)
                .isEqualTo(Files.isDirectory(data.resolve(path)) ? "rwx------" : "rw-------"));

        // when it runs again in the same folder, then the first run's data is there and new panics still arrive
        ChildProcess again = startUp();
        String broker2 = again.awaitLine(READY, START).group(1);
        assertThat(search(word)).contains("merge of run 261070 failed " + word);
        ClientSettings settings2 = ClientSettings.of(Map.of("dqlog.brokers", broker2, "dqlog.app", "up-test"), Map.of());
        assertThat(Panic.send(Panic.newPanic("second run " + word, settings2).build(), settings2,
                Waits.CONDITION, Status.SILENT)).isTrue();
        await().atMost(ARRIVE).untilAsserted(() -> assertThat(search(word)).contains("second run " + word));
        await().atMost(ARRIVE).until(() -> mailsMentioning(data.resolve("mail"), word) == 2);
        assertThat(again.terminate(Waits.PROCESS)).isTrue();
    }

    @Test
    void saysInOneLineThatTheBrokerPortIsTakenAndExitsWith2() throws Exception {
        // given a port in use
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            // when
            ChildProcess up = ChildProcess.java("org.dqlog.cli.Main")
                    .args("up", "--port", Integer.toString(taken.getLocalPort()), "--exit-on-stdin-eof")
                    .workingDir(folder).name("dqlog-up-port-taken").start();

            // then
            assertThat(up.waitFor(START)).isTrue();
            assertThat(up.exitCode()).isEqualTo(2);
            up.awaitOutputClosed(Waits.PROCESS);
            assertThat(up.lines()).containsExactly("dqlog up: port " + taken.getLocalPort()
                    + " on 127.0.0.1 is taken (another broker or ./dqlog up?); stop it, or choose another port with --port N");
            assertThat(folder.resolve("dqlog-data")).doesNotExist();
        }
    }

    private ChildProcess startUp() throws IOException {
        return ChildProcess.java("org.dqlog.cli.Main")
                .args("up", "--port", "0", "--smtp-port", "0", "--http-port", "0", "--exit-on-stdin-eof")
                .removeEnv("DQLOG_BROKERS").removeEnv("DQLOG_DATA")
                .env("DQLOG_LAUNCHER", folder.resolve("dqlog").toString()) // as if started by ./dqlog in that folder
                .workingDir(folder).name("dqlog-up").start();
    }

    /** {@code dqlog search WORD} run from the folder, as the user would after up: no --data. */
    private String search(String word) {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        CommandLine cmd = DqlogCommand.commandLine(new CliEnvironment(Map.of(), folder, raw, new ByteArrayOutputStream(),
                false, false));
        StringWriter out = new StringWriter();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(new StringWriter()));
        int code = cmd.execute("search", "--since", "1h", word);
        return code == 0 ? out.toString() : "exit " + code;
    }

    private static long mailsMentioning(Path mailDir, String word) throws IOException {
        if (!Files.isDirectory(mailDir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(mailDir)) {
            List<Path> eml = files.filter(p -> p.toString().endsWith(".eml")).toList();
            long n = 0;
            for (Path p : eml) {
                if (Files.readString(p, StandardCharsets.UTF_8).contains(word)) {
                    n++;
                }
            }
            return n;
        }
    }

    /** Mode of every path under {@code data} but inside the broker's store, by relative path. */
    private static Map<String, String> modes(Path data) throws IOException {
        Map<String, String> modes = new java.util.TreeMap<>();
        try (Stream<Path> paths = Files.walk(data)) {
            for (Path p : paths.toList()) {
                Path relative = data.relativize(p);
                if (relative.getNameCount() < 2 || !relative.getName(0).toString().equals("broker")) {
                    modes.put(relative.toString(), java.nio.file.attribute.PosixFilePermissions.toString(
                            Files.getPosixFilePermissions(p)));
                }
            }
        }
        return modes;
    }
}
