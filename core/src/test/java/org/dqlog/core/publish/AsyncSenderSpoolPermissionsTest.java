package org.dqlog.core.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Stream;

import org.dqlog.core.testing.RecordingStatus;
import org.dqlog.testkit.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, defect 10: spooled log lines are private to the user of the application: the spool
 * directory is 0700 and its files 0600, and a default spool root created by another user
 * (world-writable, as in a shared /tmp) is refused.
 */
class AsyncSenderSpoolPermissionsTest {

    private static final Duration WAIT = Waits.CONDITION;
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");

    @TempDir
    Path temp;

    @Test
    void theSpoolDirectoryIsOwnerOnlyAndItsFilesAreNotReadableByOtherUsers() throws Exception {
        // given: no broker, a spool directory the sender creates
        Path spoolDir = temp.resolve("spool");
        AsyncSender sender = AsyncSender.start(AsyncSenderOutageTest.config("tcp://127.0.0.1:" + TestRecords.freePort(),
                "permissions-test").spoolDir(spoolDir).build(), new RecordingStatus());

        // when: records are spooled
        AsyncSenderOutageTest.submit(sender, "private", 50);
        await().atMost(WAIT).until(() -> sender.stats().spooled() == 50);
        sender.close();

        // then
        assertThat(Files.getPosixFilePermissions(spoolDir)).as("spool directory").isEqualTo(OWNER_ONLY_DIR);
        try (Stream<Path> files = Files.list(spoolDir)) {
            for (Path file : files.toList()) {
                assertThat(Files.getPosixFilePermissions(file)).as(file.getFileName().toString()).isEqualTo(OWNER_ONLY_FILE);
            }
        }
    }

    @Test
    void aDefaultSpoolRootCreatedByAnotherUserIsRefusedAndRecordsGoToAPrivateDirectory() throws Exception {
        // given: the default spool root under the shared temporary directory, made by another user, mode 777
        assumeThat(System.getProperty("user.name")).as("needs root to hand a directory to another user").isEqualTo("root");
        String tmpdir = System.getProperty("java.io.tmpdir");
        Path sharedTmp = Files.createDirectories(temp.resolve("shared-tmp"));
        System.setProperty("java.io.tmpdir", sharedTmp.toString());
        try {
            String app = "foreign-root-test";
            Path root = SenderConfig.defaultSpoolDir(app).getParent();
            Files.createDirectories(root);
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxrwxrwx"));
            UserPrincipal nobody = root.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
            Files.setOwner(root, nobody);
            RecordingStatus status = new RecordingStatus();
            AsyncSender sender = AsyncSender.start(AsyncSenderOutageTest.config("tcp://127.0.0.1:" + TestRecords.freePort(),
                    app).build(), status);

            // when
            AsyncSenderOutageTest.submit(sender, "foreign", 20);

            // then: the sender says whose directory it refuses, and spools nothing under the foreign root
            await().atMost(WAIT).untilAsserted(() -> assertThat(status.messages()).as("status")
                    .anyMatch(m -> m.contains(root.toString()) && m.contains("own")));
            await().atMost(WAIT).until(() -> sender.stats().spooled() == 20 || sender.stats().queued() == 20);
            sender.close();
            try (Stream<Path> files = Files.walk(root)) {
                assertThat(files.filter(f -> f.getFileName().toString().endsWith(".seg")))
                        .as("segments under the foreign root").isEmpty();
            }
            assertThat(sender.stats().spooled()).as("records spooled to a private directory instead").isEqualTo(20);
        } finally {
            System.setProperty("java.io.tmpdir", tmpdir);
        }
    }
}
