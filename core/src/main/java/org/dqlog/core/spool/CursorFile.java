package org.dqlog.core.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;

import org.dqlog.core.Status;

/**
 * The spool's "acknowledged up to" marker: one {@link SpoolPosition} per level class, in the
 * file {@value #NAME}. It is replaced whole (written to {@value #TEMPORARY_NAME}, forced, renamed
 * over the old one), so a crash leaves either the old marker or the new one. A missing or damaged
 * marker means "nothing acknowledged": the spool then replays everything, which at-least-once
 * delivery allows (the collector removes duplicates by id).
 *
 * <pre>
 * int magic 0x44514C43 ("DQLC"), int version 1, per class: long sequence, long offset; int CRC32C
 * </pre>
 *
 * <p>Stateless; thread-safe.
 */
final class CursorFile {

    static final String NAME = "cursor";
    static final String TEMPORARY_NAME = "cursor.tmp";
    static final int BYTES = 4 + 4 + LevelClass.COUNT * 16 + 4;
    private static final int MAGIC = 0x44514C43;
    private static final int VERSION = 1;

    private CursorFile() {
    }

    static SpoolPosition[] read(Path directory, Status status) throws IOException {
        SpoolPosition[] positions = new SpoolPosition[LevelClass.COUNT];
        Arrays.fill(positions, SpoolPosition.START);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(directory.resolve(NAME));
        } catch (NoSuchFileException e) {
            return positions;
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        if (bytes.length != BYTES || buffer.getInt(0) != MAGIC || buffer.getInt(4) != VERSION
                || buffer.getInt(BYTES - 4) != checksum(bytes)) {
            status.warn("dqlog spool " + directory + ": the acknowledgement marker '" + NAME
                    + "' is damaged; replaying every record in the spool (duplicates are removed by the collector)", null);
            return positions;
        }
        buffer.position(8);
        for (int c = 0; c < positions.length; c++) {
            positions[c] = new SpoolPosition(buffer.getLong(), buffer.getLong());
        }
        return positions;
    }

    static void write(Path directory, SpoolPosition[] positions) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(BYTES);
        buffer.putInt(MAGIC).putInt(VERSION);
        for (SpoolPosition position : positions) {
            buffer.putLong(position.sequence).putLong(position.offset);
        }
        buffer.putInt(checksum(buffer.array()));
        buffer.flip();
        Path temporary = directory.resolve(TEMPORARY_NAME);
        try (FileChannel channel = FileChannel.open(temporary, java.util.Set.of(StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE), SpoolFiles.ownerOnlyFile())) {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        Files.move(temporary, directory.resolve(NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static int checksum(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, BYTES - 4);
        return (int) crc.getValue();
    }
}
