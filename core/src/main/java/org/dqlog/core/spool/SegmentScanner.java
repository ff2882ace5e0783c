package org.dqlog.core.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Walks a segment file one record at a time and says what it found, including damage: a record
 * that fails its checksum is skipped by its (verified) length; bytes that hold no intact header
 * are skipped up to the next intact header; an incomplete record at the end is a torn tail.
 *
 * <p>Stateless; thread-safe.
 */
final class SegmentScanner {

    private static final int RESYNC_CHUNK_BYTES = 64 * 1024;

    enum Kind {
        /** An intact record (its entry is read only if asked for). */
        RECORD,
        /** Intact header, payload fails its checksum: skipped by its length. */
        CORRUPT,
        /** No intact header here: skipped up to the next intact header. */
        UNREADABLE,
        /** An incomplete or unreadable record running to the end of the file. */
        TORN,
        /** An intact header whose payload is larger than the caller's budget; nothing consumed. */
        OVER_BUDGET
    }

    private SegmentScanner() {
    }

    /**
     * One step from {@code offset}, never reading at or beyond {@code end}.
     *
     * @param readPayload read and verify the payload; if false, only the header is checked
     * @param payloadBudget largest payload the caller takes now (only with readPayload)
     */
    static Step step(FileChannel channel, long offset, long end, boolean readPayload, long payloadBudget)
            throws IOException {
        RecordFormat.Header header = end - offset >= RecordFormat.HEADER_BYTES
                ? RecordFormat.readHeader(channel, offset) : null;
        if (header == null) {
            long next = end - offset >= RecordFormat.HEADER_BYTES ? resync(channel, offset + 1, end) : -1;
            return next < 0 ? new Step(Kind.TORN, offset, end, null, null) : new Step(Kind.UNREADABLE, offset, next, null, null);
        }
        long next = offset + header.framedBytes();
        if (next > end) {
            return new Step(Kind.TORN, offset, end, header, null);
        }
        if (!readPayload) {
            return new Step(Kind.RECORD, offset, next, header, null);
        }
        if (header.payloadLength > payloadBudget) {
            return new Step(Kind.OVER_BUDGET, offset, offset, header, null);
        }
        SpoolEntry entry = RecordFormat.readPayload(channel, offset + RecordFormat.HEADER_BYTES, header);
        return entry == null ? new Step(Kind.CORRUPT, offset, next, header, null) : new Step(Kind.RECORD, offset, next, header, entry);
    }

    /** Offset of the next intact header (whose record also fits before {@code end}), or -1. */
    private static long resync(FileChannel channel, long from, long end) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(RESYNC_CHUNK_BYTES);
        long position = from;
        while (end - position >= RecordFormat.HEADER_BYTES) {
            int length = (int) Math.min(chunk.capacity(), end - position);
            chunk.clear().limit(length);
            if (!RecordFormat.readFully(channel, chunk, position)) {
                return -1;
            }
            for (int i = 0; i + 4 <= length; i++) {
                if (chunk.getInt(i) == RecordFormat.MAGIC) {
                    long candidate = position + i;
                    RecordFormat.Header header = end - candidate >= RecordFormat.HEADER_BYTES
                            ? RecordFormat.readHeader(channel, candidate) : null;
                    if (header != null && candidate + header.framedBytes() <= end) {
                        return candidate;
                    }
                }
            }
            // overlap by three bytes, so a magic number split between chunks is still found
            position += length - 3;
        }
        return -1;
    }

    /** What one step found: where it started, where the next step starts, and the record if any. */
    static final class Step {
        final Kind kind;
        final long offset;
        final long next;
        final RecordFormat.Header header;
        final SpoolEntry entry;

        Step(Kind kind, long offset, long next, RecordFormat.Header header, SpoolEntry entry) {
            this.kind = kind;
            this.offset = offset;
            this.next = next;
            this.header = header;
            this.entry = entry;
        }
    }
}
