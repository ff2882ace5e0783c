package org.dqlog.core.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.dqlog.core.Level;
import org.dqlog.core.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The read-only view of a spool that {@code dqlog spool ls} prints. */
class SpoolSummaryTest {

    @TempDir
    Path temp;

    @Test
    void countsOnlyWhatIsNotAcknowledgedPerClassAndKnowsWhetherTheLockIsHeld() throws Exception {
        Path dir = temp.resolve("spool");
        try (DiskSpool spool = DiskSpool.open(dir, 1_000_000, new DropCounter(), Status.SILENT)) {
            List<SpoolEntry> entries = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                entries.add(Entries.log("info-" + i, Level.INFO));
            }
            entries.add(Entries.panic("panic-0"));
            entries.add(Entries.panic("panic-1"));
            spool.append(entries);
            spool.commit(spool.readBatch(1, Long.MAX_VALUE)); // one panic acknowledged

            SpoolSummary open = SpoolSummary.read(dir);
            assertThat(open.lockState()).isEqualTo(SpoolSummary.LockState.HELD);
            assertThat(open.records()).isEqualTo(11);
            assertThat(open.classes()).extracting(SpoolSummary.ClassSummary::levelClass)
                    .containsExactly(LevelClass.PANIC, LevelClass.INFO);
            assertThat(open.classes()).extracting(SpoolSummary.ClassSummary::records).containsExactly(1L, 10L);
        }
        SpoolSummary closed = SpoolSummary.read(dir);
        assertThat(closed.lockState()).isEqualTo(SpoolSummary.LockState.FREE);
        assertThat(closed.lockHolder()).startsWith("pid ");
        assertThat(closed.records()).isEqualTo(11);
        assertThat(closed.oldest()).as("bodies here are no records: time unknown").isNull();
        assertThat(SpoolSummary.spoolsIn(temp)).containsExactly(dir);
        assertThat(SpoolSummary.isSpool(Files.createDirectories(temp.resolve("empty")))).isFalse();
        // reading it did not take it: a sender can open it
        try (DiskSpool again = DiskSpool.open(dir, 1_000_000, new DropCounter(), Status.SILENT)) {
            assertThat(again.hasUnread()).isTrue();
        }
    }
}
