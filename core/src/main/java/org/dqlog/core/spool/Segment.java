package org.dqlog.core.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One append-only file of records of a single level class, named {@code c<class>-<sequence>.seg}
 * so that a directory listing alone tells the order. Its size is the end of the last record
 * written completely; anything beyond (a write cut short) is cut off before the next append.
 *
 * <p>Not thread-safe: owned by a {@link DiskSpool}, which serialises all calls.
 */
final class Segment {

    private static final Pattern NAME = Pattern.compile("c([0-9])-([0-9]{20})\\.seg");

    final int levelClass;
    final long sequence;
    final Path path;
    long sizeBytes;
    private FileChannel writer;
    private FileChannel reader;
    /** Offsets of damage already reported, so a re-read (after a rewind) does not report it twice. */
    private final Set<Long> reportedOffsets = new HashSet<>();

    private Segment(int levelClass, long sequence, Path path, long sizeBytes) {
        this.levelClass = levelClass;
        this.sequence = sequence;
        this.path = path;
        this.sizeBytes = sizeBytes;
    }

    static String fileName(int levelClass, long sequence) {
        return String.format(Locale.ROOT, "c%d-%020d.seg", levelClass, sequence);
    }

    /** The segment a file left by an earlier run stands for, or null if the name is no segment's. */
    static Segment existing(Path path) throws IOException {
        Matcher matcher = NAME.matcher(path.getFileName().toString());
        if (!matcher.matches() || Integer.parseInt(matcher.group(1)) >= LevelClass.COUNT) {
            return null;
        }
        return new Segment(Integer.parseInt(matcher.group(1)), Long.parseLong(matcher.group(2)), path, Files.size(path));
    }

    /** A new, empty segment file, ready for appending. */
    static Segment create(Path directory, int levelClass, long sequence) throws IOException {
        Path path = directory.resolve(fileName(levelClass, sequence));
        Segment segment = new Segment(levelClass, sequence, path, 0);
        segment.writer = FileChannel.open(path, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                SpoolFiles.ownerOnlyFile());
        forceDirectory(directory);
        return segment;
    }

    /** Makes the new file's name durable too, where the platform allows it (Linux does). */
    private static void forceDirectory(Path directory) {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // not supported everywhere; only an OS crash right now could lose the name
        }
    }

    String fileName() {
        return path.getFileName().toString();
    }

    FileChannel reader() throws IOException {
        if (reader == null || !reader.isOpen()) {
            reader = FileChannel.open(path, StandardOpenOption.READ);
        }
        return reader;
    }

    /**
     * Appends one framed record. A write cut short (an I/O error, or an interrupt that closed the
     * channel) is cut off again, so the file always ends with a complete record.
     */
    void append(ByteBuffer[] record, long framedBytes) throws IOException {
        FileChannel channel = writer();
        long start = sizeBytes;
        try {
            channel.position(start);
            long written = 0;
            while (written < framedBytes) {
                written += channel.write(record);
            }
        } catch (IOException e) {
            truncateQuietly(start);
            throw e;
        }
        sizeBytes = start + framedBytes;
    }

    private FileChannel writer() throws IOException {
        if (writer == null || !writer.isOpen()) {
            writer = FileChannel.open(path, StandardOpenOption.WRITE);
            writer.truncate(sizeBytes);
        }
        return writer;
    }

    private void truncateQuietly(long size) {
        try {
            writer().truncate(size);
        } catch (IOException e) {
            // the next append tries again (writer() truncates), and readers stop at sizeBytes
        }
    }

    /** Cuts the file to {@code size}: removes a torn tail found on recovery. */
    void truncate(long size) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
            channel.truncate(size);
        }
        sizeBytes = size;
    }

    boolean isWritable() {
        return writer != null && writer.isOpen();
    }

    /** Makes everything appended durable (data only: the size is implied by the records). */
    void force() throws IOException {
        if (isWritable()) {
            writer.force(false);
        }
    }

    /** Forces and closes the writer; the segment takes no more appends. */
    void seal() throws IOException {
        if (writer != null) {
            try {
                force();
            } finally {
                writer.close();
                writer = null;
            }
        }
    }

    /** True the first time damage at {@code offset} is seen. */
    boolean firstReportAt(long offset) {
        return reportedOffsets.add(offset);
    }

    /** Closes the channels; {@link #seal()}s a writer first. */
    void close() throws IOException {
        try {
            seal();
        } finally {
            if (reader != null) {
                reader.close();
                reader = null;
            }
        }
    }

    void delete() throws IOException {
        closeQuietly();
        Files.deleteIfExists(path);
    }

    private void closeQuietly() {
        try {
            if (writer != null) {
                writer.close();
            }
            if (reader != null) {
                reader.close();
            }
        } catch (IOException e) {
            // the file is about to be deleted: nothing in it matters any more
        } finally {
            writer = null;
            reader = null;
        }
    }

    @Override
    public String toString() {
        return fileName() + " (" + sizeBytes + " bytes)";
    }
}
