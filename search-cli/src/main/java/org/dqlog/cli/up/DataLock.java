package org.dqlog.cli.up;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.dqlog.core.FileModes;

/**
 * An exclusive lock on {@code <data>/up.lock}, so that a second {@code ./dqlog up} in the same
 * folder says so at once instead of failing deep inside the broker's or the index's own lock.
 * The operating system drops the lock when the process dies, however it dies.
 *
 * <p>Not thread-safe; taken and released by one thread.
 */
final class DataLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private DataLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock, or null when another process holds it. */
    static DataLock tryLock(Path dataDir) throws IOException {
        // owner-only, like the collector's data: mails and records are for the operator alone
        FileModes.createOwnerOnly(dataDir);
        FileChannel channel = FileChannel.open(dataDir.resolve(UpSettings.LOCK_FILE),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileModes.inherit(dataDir.resolve(UpSettings.LOCK_FILE));
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                return null;
            }
            return new DataLock(channel, lock);
        } catch (OverlappingFileLockException e) {
            channel.close();
            return null;
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the lock dies with the channel or the process anyway
        }
    }
}
