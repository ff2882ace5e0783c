package org.dqlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.dqlog.cli.LogFixture.record;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.dqlog.core.Level;
import org.dqlog.core.LogLine;
import org.dqlog.core.LogRecord;
import org.dqlog.testkit.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TailCommandTest {

    static final Instant T = Instant.parse("2026-11-26T10:00:00Z");

    @TempDir
    Path data;

    private LogRecord at(int second, String host, Level level, String message) {
        return record("r" + second, T.plusSeconds(second), host, level, message);
    }

    @Test
    void printsTheLastRecordsMatchingTheFiltersOldestFirst() throws Exception {
        LogRecord[] records = new LogRecord[15];
        try (LogFixture fixture = new LogFixture(data)) {
            for (int i = 0; i < records.length; i++) {
                records[i] = at(i, i % 2 == 0 ? "even" : "odd", i % 5 == 0 ? Level.ERROR : Level.INFO, "message " + i);
            }
            // arrival order is not time order
            fixture.add(records[14], records[3], records[0]);
            fixture.add(java.util.Arrays.copyOfRange(records, 4, 14));
            fixture.add(records[1], records[2]);
        }
        Cli cli = new Cli(Map.of("DQLOG_DATA", data.toString()), data);

        Cli.Result byDefault = cli.run("tail");
        Cli.Result three = cli.run("tail", "-n", "3", "--host", "odd");
        Cli.Result errors = cli.run("tail", "--level", "ERROR", "--json");
        Cli.Result none = cli.run("tail", "--host", "nosuchhost");

        assertThat(byDefault.lines()).hasSize(10).first().isEqualTo(LogLine.format(records[5]));
        assertThat(byDefault.lines().get(9)).isEqualTo(LogLine.format(records[14]));
        assertThat(three.lines()).containsExactly(LogLine.format(records[9]), LogLine.format(records[11]),
                LogLine.format(records[13]));
        assertThat(errors.lines()).containsExactly(LogLine.jsonPart(LogLine.format(records[0])),
                LogLine.jsonPart(LogLine.format(records[5])), LogLine.jsonPart(LogLine.format(records[10])));
        assertThat(byDefault.exitCode()).isZero();
        assertThat(none.exitCode()).isEqualTo(1);
    }

    @Test
    void followPrintsNewRecordsAsTheCollectorCommitsThemUntilInterrupted() throws Exception {
        try (LogFixture fixture = new LogFixture(data)) {
            // given: a running collector with some records, and tail -f on WARN and above
            fixture.add(at(0, "h1", Level.ERROR, "old error"), at(1, "h1", Level.INFO, "old info"));
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            AtomicInteger exit = new AtomicInteger(-1);
            Cli cli = new Cli(Map.of("DQLOG_DATA", data.toString()), data);
            Thread tail = new Thread(() -> exit.set(cli.run(new PrintWriter(out, true), err, "tail", "-f", "-n", "5",
                    "--level", "WARN")), "tail-f");
            tail.start();
            await().atMost(Waits.CONDITION).until(() -> out.toString().contains("old error"));

            // when: records arrive, one of them received earlier than one committed before it
            LogRecord fresh = at(100, "h2", Level.ERROR, "fresh error");
            LogRecord quiet = at(101, "h2", Level.INFO, "quiet info");
            fixture.add(fresh, quiet);
            await().atMost(Waits.CONDITION).until(() -> out.toString().contains("fresh error"));
            LogRecord late = at(95, "h3", Level.FATAL, "late fatal");
            LogRecord later = at(102, "h2", Level.WARN, "later warning");
            fixture.add(late, later);
            await().atMost(Waits.CONDITION).until(() -> out.toString().contains("later warning"));
            tail.interrupt();
            tail.join(Waits.PROCESS.toMillis());

            // then: each matching record once, in arrival order
            assertThat(tail.isAlive()).isFalse();
            assertThat(exit.get()).isZero();
            assertThat(out.toString().split("\n")).containsExactly(LogLine.format(at(0, "h1", Level.ERROR, "old error")),
                    LogLine.format(fresh), LogLine.format(late), LogLine.format(later));
            assertThat(err.toString()).isEmpty();
        }
    }
}
