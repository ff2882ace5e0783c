package org.dqlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dqlog.cli.LogFixture.record;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.dqlog.core.Level;
import org.dqlog.core.LogLine;
import org.dqlog.core.LogRecord;
import org.dqlog.core.RecordCodec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SearchCommandTest {

    static final Instant T = Instant.parse("2026-11-26T10:00:00Z");

    @TempDir
    Path tmp;

    Path data;
    Cli cli;

    final LogRecord a1 = record("a1", T, "pc-tier0-01", Level.INFO, "request served in 12ms");
    final LogRecord a2 = record("a2", T.plusSeconds(1), "pc-tier0-02", Level.WARN, "slow query took 5s")
            .toBuilder().logger("org.dq.db.Pool").build();
    final LogRecord a3 = record("a3", T.plusSeconds(2), "pc-tier0-01", Level.ERROR, "timeout talking to cooldb");
    final LogRecord a4 = record("a4", T.plusSeconds(3), "lxplus901", Level.INFO, "timeout is configured to 30s")
            .toBuilder().app("dqmf").build();
    final LogRecord a5 = record("a5", T.plusSeconds(4), "pc-tier0-01", Level.DEBUG, "retrying");
    final LogRecord a6 = record("a6", T.plusSeconds(5), "pc-tier0-01", Level.INFO, "recovered");
    final LogRecord p1 = record("p1", T.plusSeconds(6), "PC-Tier0-02", null, "disk full")
            .toBuilder().panic(true).type(LogRecord.TYPE_PANIC).build();
    final LogRecord a8 = record("a8", T.plusSeconds(7), "pc-tier0-01", Level.FATAL, "giving up");
    final LogRecord a9 = record("a9", T.plusSeconds(8), "pc-tier0-01", Level.INFO, "after the end");

    @BeforeEach
    void writeRecords() throws Exception {
        data = tmp.resolve("data");
        try (LogFixture fixture = new LogFixture(data)) {
            // arrival order differs from time order: the output must follow ts
            fixture.add(a9, a1, a3, a2);
            fixture.add(a4, p1, a5, a8, a6);
        }
        cli = new Cli(Map.of(), tmp);
    }

    private static List<String> lines(LogRecord... records) {
        return java.util.Arrays.stream(records).map(LogLine::format).toList();
    }

    private Cli.Result search(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "search";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--data";
        all[args.length + 2] = data.toString();
        return cli.run(all);
    }

    @Test
    void searchesTheMessageByDefaultAndPrintsTheFileLinesOldestFirst() {
        Cli.Result r = search("timeout");

        assertThat(r.lines()).containsExactlyElementsOf(lines(a3, a4));
        assertThat(r.exitCode()).isZero();
        assertThat(r.err()).isEmpty();
    }

    @Test
    void readsLuceneQuerySyntaxOverTheRecordFields() {
        assertThat(search("timeout AND host:PC-TIER0-*").lines()).containsExactlyElementsOf(lines(a3));
        assertThat(search("level:error OR level:fatal").lines()).containsExactlyElementsOf(lines(a3, a8));
        assertThat(search("NOT host:pc-tier0-01").lines()).containsExactlyElementsOf(lines(a2, a4, p1));
        assertThat(search("\"configured to\" AND app:DQMF").lines()).containsExactlyElementsOf(lines(a4));
        assertThat(search("level_num:[WARN TO ERROR]").lines()).containsExactlyElementsOf(lines(a2, a3));
        assertThat(search("ts:[2026-11-26T10:00:07Z TO *]").lines()).containsExactlyElementsOf(lines(a8, a9));
    }

    @Test
    void exitsWithOneAndPrintsNothingWhenNothingMatches() {
        Cli.Result r = search("nosuchword");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEmpty();
    }

    @Test
    void reportsABadQueryWithItsPositionOnOneLine() {
        Cli.Result r = search("timeout AND (host:x");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith("dqlog: bad query at position ").contains("timeout AND (host:x");
        assertThat(r.err().strip()).doesNotContain("\n").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void reportsAMissingIndexOnOneLine() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));

        Cli.Result r = cli.run("search", "x", "--data", empty.toString());

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("dqlog: no index under " + empty + " (run the collector or ./dqlog up first)\n");
    }

    @Test
    void findsTheDataThroughTheEnvironmentOrTheWorkingDirectory() throws Exception {
        Cli.Result fromEnv = new Cli(Map.of("DQLOG_DATA", data.toString()), tmp).run("search", "-c", "timeout");
        Files.move(data, tmp.resolve("dqlog-data"));
        Cli.Result fromCwd = new Cli(Map.of(), tmp).run("search", "-c", "timeout");
        Cli.Result none = new Cli(Map.of(), tmp.resolve("dqlog-data")).run("search", "timeout");

        assertThat(fromEnv.out()).isEqualTo("2\n");
        assertThat(fromCwd.out()).isEqualTo("2\n");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).startsWith("dqlog: no data directory: give --data DIR or set DQLOG_DATA");
    }

    @Test
    void levelMeansThatLevelAndAboveWithPythonNamesAndUnlevelledPanicsAsFatal() {
        assertThat(search("--level", "WARNING").lines()).containsExactlyElementsOf(lines(a2, a3, p1, a8));
        assertThat(search("--level", "critical").lines()).containsExactlyElementsOf(lines(p1, a8));
        Cli.Result bad = search("--level", "LOUD");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).startsWith("dqlog: bad level for --level: 'LOUD'");
    }

    @Test
    void filtersByHostAppAndLoggerGlobs() {
        assertThat(search("--host", "PC-TIER0-02").lines()).containsExactlyElementsOf(lines(a2, p1));
        assertThat(search("--host", "lx*", "--host", "pc-tier0-0?", "-c").out()).isEqualTo("9\n");
        assertThat(search("--host", "lx*").lines()).containsExactlyElementsOf(lines(a4));
        assertThat(search("--app", "dqmf").lines()).containsExactlyElementsOf(lines(a4));
        assertThat(search("--logger", "org.dq.db.*").lines()).containsExactlyElementsOf(lines(a2));
        assertThat(search("--panics").lines()).containsExactlyElementsOf(lines(p1));
    }

    @Test
    void timeRangeIsHalfOpenAndBadTimesAreOneLine() {
        assertThat(search("--since", "2026-11-26T10:00:02Z", "--until", "2026-11-26T10:00:04").lines())
                .containsExactlyElementsOf(lines(a3, a4));
        assertThat(search("--since", "2026-11-26 10:00:07").lines()).containsExactlyElementsOf(lines(a8, a9));
        assertThat(search("--until", "2026-11-26").exitCode()).isEqualTo(1);
        Cli.Result bad = search("--since", "yesterday");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).startsWith("dqlog: bad time for --since: 'yesterday'");
    }

    @Test
    void grepFlagsSelectOnTheWholeLine() {
        assertThat(search("-F", "-e", "served in 12ms").lines()).containsExactlyElementsOf(lines(a1));
        assertThat(search("-i", "-e", "TIMEOUT").lines()).containsExactlyElementsOf(lines(a3, a4));
        assertThat(search("-v", "-e", "pc-tier0-01").lines()).containsExactlyElementsOf(lines(a2, a4, p1));
        assertThat(search("-e", "^[^\t]* ERROR ", "-e", "giving").lines()).containsExactlyElementsOf(lines(a3, a8));
        assertThat(search("level:info", "-e", "timeout").lines()).containsExactlyElementsOf(lines(a4));
        Cli.Result bad = search("-e", "a(b");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).startsWith("dqlog: bad regular expression at position");
    }

    @Test
    void contextShowsNeighboursOfTheSameHostWithSeparatorsBetweenGroups() {
        // pc-tier0-01 in time order: a1 a3 a5 a6 a8 a9
        assertThat(search("-e", "timeout talking", "-B", "1", "-A", "2").lines())
                .containsExactlyElementsOf(lines(a1, a3, a5, a6));
        assertThat(search("-e", "timeout talking|after the end", "-C", "1").lines())
                .containsExactlyElementsOf(List.of(LogLine.format(a1), LogLine.format(a3), LogLine.format(a5), "--",
                        LogLine.format(a8), LogLine.format(a9)));
        assertThat(search("-e", "timeout talking|recovered", "-C", "1").lines())
                .containsExactlyElementsOf(lines(a1, a3, a5, a6, a8));
        assertThat(search("timeout", "-C", "1").lines())
                .containsExactlyElementsOf(List.of(LogLine.format(a1), LogLine.format(a3), LogLine.format(a5), "--",
                        LogLine.format(a4)));
    }

    @Test
    void countsMatchingRecords() {
        assertThat(search("-c", "--level", "ERROR").out()).isEqualTo("3\n");
        assertThat(search("-c", "-e", "pc-tier0-01").out()).isEqualTo("6\n");
        Cli.Result none = search("-c", "nosuchword");
        assertThat(none.out()).isEqualTo("0\n");
        assertThat(none.exitCode()).isEqualTo(1);
    }

    @Test
    void printsOneJsonObjectPerRecord() throws Exception {
        Cli.Result r = search("--json", "--panics");

        assertThat(r.lines()).hasSize(1);
        LogRecord decoded = RecordCodec.decode(r.lines().get(0));
        assertThat(decoded.id()).isEqualTo("p1");
        assertThat(decoded.message()).isEqualTo("disk full");
        assertThat(decoded.panic()).isTrue();
    }

    @Test
    void listsMatchingHostsWithCounts() {
        assertThat(search("--hosts", "timeout").out()).isEqualTo("lxplus901\t1\npc-tier0-01\t1\n");
        assertThat(search("--hosts", "-e", "disk|slow").out()).isEqualTo("pc-tier0-02\t2\n");
    }

    @Test
    void reverseAndMaxCount() {
        assertThat(search("--reverse", "--host", "pc-tier0-01", "-m", "2").lines()).containsExactlyElementsOf(lines(a9, a8));
        assertThat(search("-m", "2").lines()).containsExactlyElementsOf(lines(a1, a2));
        assertThat(search("--human", "-m", "1").lines()).containsExactly(LogLine.humanPart(LogLine.format(a1)));
    }

    @Test
    void searchesSeveralDataDirectoriesAndRemovesDuplicatesById() throws Exception {
        Path other = tmp.resolve("other");
        LogRecord b1 = record("b1", T.plusSeconds(2), "pc-tier0-04", Level.ERROR, "timeout on the other side");
        try (LogFixture fixture = new LogFixture(other)) {
            // a3 reached both collectors (same record, later receive time there)
            fixture.add(a3.toBuilder().rts(T.plusSeconds(30)).build(), b1);
        }

        Cli.Result r = cli.run("search", "timeout", "--data", data.toString(), "--data", other.toString());
        Cli.Result count = cli.run("search", "-c", "timeout", "--data", data.toString(), "--data", other.toString());

        assertThat(r.lines()).hasSize(3);
        assertThat(r.lines()).filteredOn(l -> l.contains("\"id\":\"a3\"")).hasSize(1);
        assertThat(r.lines().get(2)).isEqualTo(LogLine.format(a4));
        assertThat(count.out()).isEqualTo("3\n");
    }

    @Test
    void coloursMatchesWhenAsked() {
        Cli.Result r = search("--color=always", "-e", "timeout talking");

        assertThat(r.out()).contains("\u001b[01;31m\u001b[Ktimeout talking\u001b[m\u001b[K");
        assertThat(search("--color=never", "-e", "timeout talking").out()).doesNotContain("\u001b[");
    }

    @Test
    void badUsageIsExitTwoWithAHint() {
        Cli.Result r = cli.run("search", "--no-such-option");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith("dqlog: Unknown option: '--no-such-option'")
                .contains("Try 'dqlog search --help'");
    }
}
