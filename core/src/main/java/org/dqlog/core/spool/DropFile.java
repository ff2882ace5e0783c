package org.dqlog.core.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

import org.dqlog.core.Level;
import org.dqlog.core.Status;

/**
 * The drop count of a spool, kept beside its segments in the file {@value #NAME}, so that the
 * WARN record about a gap reaches the central log even when the application that dropped the
 * records exited while no broker was reachable: the next sender, or {@code dqlog spool drain},
 * reads it and reports it. One line of text, replaced whole (temporary file, rename):
 * {@code v1 <count per level, TRACE..FATAL> <panics> <first drop ms> <last drop ms>}.
 *
 * <p>Stateless, so thread-safe; the spool calls it under its own lock.
 */
final class DropFile {

    static final String NAME = "dropped";
    static final String TEMPORARY_NAME = "dropped.tmp";
    private static final int LEVELS = Level.values().length;

    private DropFile() {
    }

    /** The counts in {@code directory}, or an empty snapshot if there is no file; a damaged file is reported and ignored. */
    static DropCounter.Snapshot read(Path directory, Status status) throws IOException {
        String text;
        try {
            text = new String(Files.readAllBytes(directory.resolve(NAME)), StandardCharsets.US_ASCII).trim();
        } catch (NoSuchFileException e) {
            return empty();
        }
        String[] fields = text.split(" ");
        try {
            if (fields.length != LEVELS + 4 || !fields[0].equals("v1")) {
                throw new NumberFormatException("unexpected layout");
            }
            long[] perLevel = new long[LEVELS];
            for (int i = 0; i < LEVELS; i++) {
                perLevel[i] = Long.parseLong(fields[1 + i]);
            }
            return DropCounter.Snapshot.of(perLevel, Long.parseLong(fields[LEVELS + 1]),
                    Long.parseLong(fields[LEVELS + 2]), Long.parseLong(fields[LEVELS + 3]));
        } catch (NumberFormatException e) {
            status.warn("dqlog spool " + directory + ": the drop count in " + NAME + " is damaged and was ignored", null);
            return empty();
        }
    }

    /** Replaces the file with {@code counts}, or deletes it when they are empty. */
    static void write(Path directory, DropCounter.Snapshot counts) throws IOException {
        Path file = directory.resolve(NAME);
        if (counts.isEmpty()) {
            Files.deleteIfExists(file);
            return;
        }
        StringBuilder line = new StringBuilder("v1");
        for (long count : counts.perLevel()) {
            line.append(' ').append(count);
        }
        line.append(' ').append(counts.panics()).append(' ').append(counts.firstDropMillis())
                .append(' ').append(counts.lastDropMillis()).append('\n');
        Path temporary = directory.resolve(TEMPORARY_NAME);
        ByteBuffer bytes = ByteBuffer.wrap(line.toString().getBytes(StandardCharsets.US_ASCII));
        try (FileChannel channel = FileChannel.open(temporary, java.util.Set.of(StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE), SpoolFiles.ownerOnlyFile())) {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static DropCounter.Snapshot empty() {
        long[] none = new long[LEVELS];
        Arrays.fill(none, 0);
        return DropCounter.Snapshot.of(none, 0, 0, 0);
    }
}
