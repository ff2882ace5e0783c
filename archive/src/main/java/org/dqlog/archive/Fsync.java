package org.dqlog.archive;

import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * How the per-host files are made durable: {@link #REAL} everywhere but in tests of what a
 * failed fsync does (a real one needs a failing disk).
 */
@FunctionalInterface
interface Fsync {

    /** {@code FileChannel.force(false)}: the data and what is needed to read it back. */
    Fsync REAL = channel -> channel.force(false);

    void force(FileChannel channel) throws IOException;
}
