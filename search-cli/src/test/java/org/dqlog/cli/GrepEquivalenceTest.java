package org.dqlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.dqlog.archive.IndexBackend;
import org.dqlog.archive.LogLayout;
import org.dqlog.archive.StorageSettings;
import org.dqlog.core.LogLine;
import org.dqlog.core.MalformedRecordException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code dqlog search -e PAT --since A --until B} prints exactly the lines that
 * {@code LC_ALL=C grep -E PAT} finds in the per-host files (decompressed) among the records with
 * ts in [A, B), for patterns that POSIX ERE and Java read alike. The files and the index are
 * written by the collector's own storage: several hosts, files rolled by day and by size and
 * gzip-compressed, unicode, escaped control characters.
 *
 * <p>Written once against {@link IndexBackend}: each backend runs it through a subclass that says
 * which backend writes and searches the index.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class GrepEquivalenceTest {

    static final Instant A = LogFixture.T0.plus(Duration.ofHours(27));
    static final Instant B = LogFixture.T0.plus(Duration.ofHours(53));

    @TempDir
    static Path data;

    List<Path> files;
    int records;

    /** The backend under test. */
    abstract IndexBackend backend();

    @BeforeAll
    void writeLogs() throws Exception {
        StorageSettings settings = StorageSettings.defaults(data).withMaxFileBytes(48 * 1024)
                .withCommitInterval(Duration.ofDays(1));
        try (LogFixture fixture = new LogFixture(data, settings, backend())) {
            records = fixture.generate(3000, Duration.ofSeconds(90)).size();
            fixture.compress();
        }
        files = LogLayout.allFiles(LogLayout.logsDir(data)).stream().map(LogLayout.LogFile::path).toList();
        assertThat(files).anyMatch(p -> p.toString().endsWith(".log.gz"));
        assertThat(files).anyMatch(p -> p.toString().endsWith(".log"));
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(List.of(), List.of("disk (full|quota)")),
                Arguments.of(List.of(), List.of("^[^\t]* (ERROR|FATAL) pc-tier0-0[12] ")),
                Arguments.of(List.of(), List.of("Überlauf im Puffer 日本語")),
                Arguments.of(List.of(), List.of("\\\\n")),
                Arguments.of(List.of(), List.of("\\\\u001b\\[31m")),
                Arguments.of(List.of(), List.of("\"mdc\":\\{\"run\":\"4567[0-3]\"\\}")),
                Arguments.of(List.of(), List.of("in [0-9]{3}ms #[0-9]*7\t")),
                Arguments.of(List.of(), List.of("timeout", "refused")),
                Arguments.of(List.of("-i"), List.of("NO SPACE LEFT")),
                Arguments.of(List.of("-v"), List.of(" INFO ")),
                Arguments.of(List.of("-F"), List.of("\\\\dq\\\\run")),
                Arguments.of(List.of("-F"), List.of("bidi \\u202e override")));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void searchWithRegexOverATimeRangePrintsWhatGrepFindsInTheFiles(List<String> flags, List<String> patterns)
            throws Exception {
        // given: what grep finds in the files, restricted to records with ts in [A, B)
        List<String> grepped = new ArrayList<>();
        for (String line : grep(flags, patterns)) {
            Instant ts = LogLine.parse(line).ts();
            if (!ts.isBefore(A) && ts.isBefore(B)) {
                grepped.add(line);
            }
        }

        // when
        List<String> args = new ArrayList<>(List.of("search", "--since", A.toString(), "--until", B.toString(),
                "--data", data.toString()));
        args.addAll(flags);
        for (String p : patterns) {
            args.add("-e");
            args.add(p);
        }
        Cli.Result r = new Cli(Map.of(), data, backend()).run(args.toArray(new String[0]));

        // then: the same lines, in time order
        assertThat(grepped).isNotEmpty();
        assertThat(r.err()).isEmpty();
        assertThat(r.exitCode()).isZero();
        assertThat(r.lines()).containsExactlyInAnyOrderElementsOf(grepped);
        assertThat(tsOf(r.lines())).isSortedAccordingTo(Comparator.naturalOrder());
    }

    @ParameterizedTest
    @MethodSource("cases")
    void searchWithRegexOverEverythingCountsWhatGrepCounts(List<String> flags, List<String> patterns) throws Exception {
        List<String> args = new ArrayList<>(List.of("search", "-c", "--data", data.toString()));
        args.addAll(flags);
        for (String p : patterns) {
            args.add("-e");
            args.add(p);
        }

        Cli.Result r = new Cli(Map.of(), data, backend()).run(args.toArray(new String[0]));

        assertThat(r.out()).isEqualTo(grep(flags, patterns).size() + "\n");
    }

    private static List<Instant> tsOf(List<String> lines) throws MalformedRecordException {
        List<Instant> ts = new ArrayList<>();
        for (String l : lines) {
            ts.add(LogLine.parse(l).ts());
        }
        return ts;
    }

    /** {@code zcat -f FILES | LC_ALL=C grep -a -E|-F [flags] -e P1 -e P2 ...}, lines as UTF-8. */
    private List<String> grep(List<String> flags, List<String> patterns) throws IOException, InterruptedException {
        // -F replaces -E (grep takes one matcher)
        StringBuilder script = new StringBuilder("zcat -f -- \"$@\" | LC_ALL=C grep -a" + (flags.contains("-F") ? "" : " -E"));
        for (String f : flags) {
            script.append(' ').append(f);
        }
        for (int i = 0; i < patterns.size(); i++) {
            script.append(" -e \"$P").append(i).append('"');
        }
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", script.toString(), "sh"));
        files.forEach(f -> cmd.add(f.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        for (int i = 0; i < patterns.size(); i++) {
            pb.environment().put("P" + i, patterns.get(i));
        }
        Process p = pb.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = p.getInputStream()) {
            in.transferTo(out);
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isLessThan(2);
        String text = out.toString(StandardCharsets.UTF_8);
        return text.isEmpty() ? List.of() : Arrays.asList(text.substring(0, text.length() - 1).split("\n", -1));
    }
}
