package org.dqlog.core.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.dqlog.core.spool.Entries.ids;
import static org.dqlog.core.spool.Entries.log;
import static org.dqlog.core.spool.Entries.peekIds;
import static org.dqlog.core.spool.Entries.range;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.dqlog.core.Level;
import org.dqlog.core.testing.RecordingStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spool's new promises for issue 10: several batches in flight (two senders sharing one spool
 * during a reconfiguration), the drop count kept on disk, owner-only files, and the shared table.
 */
class DiskSpoolInFlightTest {

    @TempDir
    Path temp;

    private DiskSpool open(Path dir) throws IOException {
        return DiskSpool.open(dir, 1_000_000, 1_000, new DropCounter(), new RecordingStatus());
    }

    private static List<SpoolEntry> warns(int from, int to) {
        return range("w", from, to).stream().map(id -> log(id, Level.WARN)).collect(Collectors.toList());
    }

    @Test
    void aLaterBatchCommittedFirstNeverLetsTheMarkerPassAnEarlierUnconfirmedOne() throws IOException {
        Path dir = temp.resolve("spool");
        try (DiskSpool spool = open(dir)) {
            // given two batches in flight (say, of two senders)
            spool.append(warns(0, 6));
            SpoolBatch first = spool.readBatch(2, Long.MAX_VALUE);
            SpoolBatch second = spool.readBatch(2, Long.MAX_VALUE);

            // when the later one is confirmed first
            spool.commit(second);
        }
        // then a restart still has the first batch's records (and the unread ones)
        try (DiskSpool spool = open(dir)) {
            assertThat(peekIds(spool)).containsExactlyElementsOf(range("w", 0, 6));
        }
    }

    @Test
    void bothBatchesCommittedInAnyOrderAcknowledgeBoth() throws IOException {
        Path dir = temp.resolve("spool");
        try (DiskSpool spool = open(dir)) {
            spool.append(warns(0, 6));
            SpoolBatch first = spool.readBatch(2, Long.MAX_VALUE);
            SpoolBatch second = spool.readBatch(2, Long.MAX_VALUE);
            spool.commit(second);
            spool.commit(first);
        }
        try (DiskSpool spool = open(dir)) {
            assertThat(peekIds(spool)).containsExactlyElementsOf(range("w", 4, 6));
        }
    }

    @Test
    void aBatchGivenBackIsReadAgainWhileAnotherStaysInFlight() throws IOException {
        try (DiskSpool spool = open(temp.resolve("spool"))) {
            spool.append(warns(0, 4));
            SpoolBatch first = spool.readBatch(2, Long.MAX_VALUE);
            SpoolBatch second = spool.readBatch(2, Long.MAX_VALUE);

            spool.giveBack(first);
            SpoolBatch again = spool.readBatch(2, Long.MAX_VALUE);
            spool.commit(again);
            spool.commit(second);

            assertThat(ids(again.entries())).containsExactlyElementsOf(ids(first.entries()));
            assertThat(spool.isEmpty()).isTrue();
        }
    }

    @Test
    void theDropCountOutlivesTheProcessUntilItIsReported() throws IOException {
        Path dir = temp.resolve("spool");
        try (DiskSpool spool = open(dir)) {
            spool.drops().record(Level.INFO, false);
            spool.drops().record(Level.ERROR, true);
            spool.force();
        }
        try (DiskSpool spool = open(dir)) {
            DropCounter.Snapshot adopted = spool.drops().snapshot();
            assertThat(adopted.total()).isEqualTo(2);
            assertThat(adopted.panics()).isEqualTo(1);
            assertThat(adopted.count(Level.INFO)).isEqualTo(1);
            spool.drops().subtract(adopted); // reported and confirmed
        }
        try (DiskSpool spool = open(dir)) {
            assertThat(spool.drops().snapshot().isEmpty()).isTrue();
            assertThat(dir.resolve(DropFile.NAME)).doesNotExist();
        }
    }

    @Test
    void theDirectoryIsOwnerOnlyAndEveryFileIsReadableByItsOwnerOnly() throws IOException {
        Path dir = temp.resolve("fresh").resolve("spool");
        try (DiskSpool spool = open(dir)) {
            spool.append(warns(0, 3));
            spool.drops().record(Level.INFO, false);
            spool.commit(spool.readBatch(1, Long.MAX_VALUE));
            spool.force();
        }
        assertThat(Files.getPosixFilePermissions(dir)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.collect(Collectors.toList())) {
                assertThat(Files.getPosixFilePermissions(file)).as(file.toString())
                        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
            }
        }
    }

    @Test
    void aDirectoryOfAnotherUserIsRefused() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "needs root to hand a directory to another user");
        Path dir = Files.createDirectories(temp.resolve("foreign"));
        UserPrincipal nobody = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Files.setOwner(dir, nobody);

        assertThatThrownBy(() -> open(dir)).isInstanceOf(SpoolNotOwnedException.class)
                .hasMessageContaining(dir.toString()).hasMessageContaining("nobody");
    }

    @Test
    void twoLeasesShareOneSpoolWhichClosesWithTheLastOne() throws IOException {
        Path dir = temp.resolve("shared");
        SharedSpools.Lease old = SharedSpools.acquire(dir, 1_000_000, new RecordingStatus());
        SharedSpools.Lease fresh = SharedSpools.acquire(dir, 1_000_000, new RecordingStatus());
        assertThat(fresh.spool()).isSameAs(old.spool());

        old.close();
        fresh.spool().append(warns(0, 1)); // still open for the new sender
        fresh.close();

        try (DiskSpool reopened = open(dir)) { // the lock was released
            assertThat(peekIds(reopened)).containsExactly("w00");
        }
    }
}
