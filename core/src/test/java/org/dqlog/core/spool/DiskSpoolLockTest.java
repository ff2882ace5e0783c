package org.dqlog.core.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.dqlog.core.spool.Entries.drain;
import static org.dqlog.core.spool.Entries.ids;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.dqlog.core.Level;
import org.dqlog.core.Status;
import org.dqlog.core.testing.RecordingStatus;
import org.dqlog.testkit.ChildProcess;
import org.dqlog.testkit.ProcessReaper;
import org.dqlog.testkit.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** One process per spool directory, with real child JVMs; a dead holder's spool is adopted. */
@ExtendWith(ProcessReaper.class)
class DiskSpoolLockTest {

    private static final Duration CHILD_WAIT = Waits.PROCESS;

    @TempDir
    Path dir;

    @Test
    void anotherProcessCannotOpenASpoolThisProcessHolds() throws IOException {
        // given
        try (DiskSpool spool = DiskSpool.open(dir, 1_000_000, new DropCounter(), Status.SILENT)) {
            spool.append(Entries.log("mine", Level.INFO));

            // when another process tries
            ChildProcess child = ChildProcess.java(SpoolLockHolder.class.getName()).args("try", dir.toString()).start();

            // then it is told who holds it
            child.awaitLine(Pattern.compile("^LOCKED .*in use by another process \\(pid "
                    + ProcessHandle.current().pid() + "\\)"), CHILD_WAIT);
            assertThat(child.waitFor(CHILD_WAIT)).isTrue();
            assertThat(child.stdoutLines()).noneMatch(line -> line.contains("OPENED"));
        }
    }

    @Test
    void theSpoolOfAProcessKilledWithSigkillIsAdoptedAndDrained() throws IOException {
        // given a child that spooled 50 records and holds the spool
        ChildProcess child = ChildProcess.java(SpoolLockHolder.class.getName()).args("hold", dir.toString(), "50").start();
        child.awaitLine(Pattern.compile("^HELD$"), CHILD_WAIT);
        assertThatThrownBy(() -> DiskSpool.open(dir, 1_000_000, new DropCounter(), Status.SILENT))
                .isInstanceOf(SpoolLockedException.class)
                .hasMessageContaining("pid " + child.pid());

        // when it is killed without any chance to close the spool
        child.kill();

        // then this process takes the spool over and gets every record, in order
        RecordingStatus status = new RecordingStatus();
        try (DiskSpool spool = DiskSpool.open(dir, 1_000_000, new DropCounter(), status)) {
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                expected.add("child-" + i);
            }
            assertThat(ids(drain(spool))).containsExactlyElementsOf(expected);
            assertThat(spool.isEmpty()).isTrue();
        }
        assertThat(status.infos()).anyMatch(message -> message.contains("adopted"));
        assertThat(status.warnings()).isEmpty();
    }
}
