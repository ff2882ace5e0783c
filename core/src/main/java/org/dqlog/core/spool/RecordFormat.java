package org.dqlog.core.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

import org.dqlog.core.Level;

/**
 * How one entry is framed in a spool segment file. All integers big-endian:
 *
 * <pre>
 * header (20 bytes)
 *   0  int   magic 0x44514C53 ("DQLS"), to find the next record after damage
 *   4  int   payload length in bytes
 *   8  byte  flags: bits 0-3 level ordinal (TRACE=0 .. FATAL=5), bit 7 panic
 *   9  3 bytes zero
 *  12  int   CRC32C of the payload
 *  16  int   CRC32C of header bytes 0-15
 * payload
 *   0  unsigned short  id length n in bytes
 *   2  n bytes         record id, UTF-8
 *   2+n ...            body (the encoded JSON record)
 * </pre>
 *
 * The header has its own checksum so that a damaged length is never trusted: reading never
 * allocates or skips by a length it has not verified.
 *
 * <p>Stateless; thread-safe.
 */
final class RecordFormat {

    static final int MAGIC = 0x44514C53;
    static final int HEADER_BYTES = 20;
    private static final int PANIC_FLAG = 0x80;
    private static final int LEVEL_MASK = 0x0F;
    private static final Level[] LEVELS = Level.values();

    private RecordFormat() {
    }

    /** Bytes the entry takes in a segment file, header included. */
    static long framedBytes(SpoolEntry entry) {
        return HEADER_BYTES + payloadBytes(entry);
    }

    private static long payloadBytes(SpoolEntry entry) {
        return 2L + entry.idUtf8().length + entry.bodyBytes();
    }

    /** Header, id prefix and body, for one gathering write; the body is not copied. */
    static ByteBuffer[] encode(SpoolEntry entry) {
        long payloadBytes = payloadBytes(entry);
        if (payloadBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("entry too large for the spool: " + payloadBytes + " bytes");
        }
        byte[] id = entry.idUtf8();
        ByteBuffer prefix = ByteBuffer.allocate(2 + id.length);
        prefix.putShort((short) id.length).put(id).flip();
        CRC32C payloadCrc = new CRC32C();
        payloadCrc.update(prefix.array());
        payloadCrc.update(entry.bodyArray());

        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
        header.putInt(MAGIC).putInt((int) payloadBytes)
                .put((byte) (entry.level().ordinal() | (entry.isPanic() ? PANIC_FLAG : 0)))
                .put((byte) 0).put((byte) 0).put((byte) 0)
                .putInt((int) payloadCrc.getValue());
        header.putInt((int) headerCrc(header.array()));
        header.flip();
        return new ByteBuffer[] {header, prefix, ByteBuffer.wrap(entry.bodyArray())};
    }

    private static long headerCrc(byte[] header) {
        CRC32C crc = new CRC32C();
        crc.update(header, 0, 16);
        return crc.getValue();
    }

    /** The header at {@code offset}, or null if it is not an intact header (or the file ends first). */
    static Header readHeader(FileChannel channel, long offset) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(HEADER_BYTES);
        if (!readFully(channel, buffer, offset)) {
            return null;
        }
        byte[] bytes = buffer.array();
        if (buffer.getInt(0) != MAGIC || buffer.getInt(16) != (int) headerCrc(bytes)) {
            return null;
        }
        int length = buffer.getInt(4);
        int flags = bytes[8] & 0xFF;
        int levelOrdinal = flags & LEVEL_MASK;
        if (length < 2 || levelOrdinal >= LEVELS.length || (flags & ~(LEVEL_MASK | PANIC_FLAG)) != 0
                || bytes[9] != 0 || bytes[10] != 0 || bytes[11] != 0) {
            return null;
        }
        return new Header(length, LEVELS[levelOrdinal], (flags & PANIC_FLAG) != 0, buffer.getInt(12));
    }

    /**
     * The entry whose payload starts at {@code payloadOffset}, or null if the payload does not
     * match its checksum (or the file ends first).
     */
    static SpoolEntry readPayload(FileChannel channel, long payloadOffset, Header header) throws IOException {
        ByteBuffer idLength = ByteBuffer.allocate(2);
        if (!readFully(channel, idLength, payloadOffset)) {
            return null;
        }
        int idBytes = idLength.getShort(0) & 0xFFFF;
        int bodyBytes = header.payloadLength - 2 - idBytes;
        if (bodyBytes < 0) {
            return null;
        }
        ByteBuffer id = ByteBuffer.allocate(idBytes);
        ByteBuffer body = ByteBuffer.allocate(bodyBytes);
        if (!readFully(channel, id, payloadOffset + 2) || !readFully(channel, body, payloadOffset + 2 + idBytes)) {
            return null;
        }
        CRC32C crc = new CRC32C();
        crc.update(idLength.array());
        crc.update(id.array());
        crc.update(body.array());
        if ((int) crc.getValue() != header.payloadCrc) {
            return null;
        }
        String idText = new String(id.array(), StandardCharsets.UTF_8);
        if (idText.length() > SpoolEntry.MAX_ID_CHARS) {
            return null;
        }
        return SpoolEntry.wrap(idText, header.level, header.panic, body.array());
    }

    /** Fills {@code buffer} from {@code position}; false if the file ends first. */
    static boolean readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, at);
            if (read < 0) {
                return false;
            }
            at += read;
        }
        return true;
    }

    /** An intact header. */
    static final class Header {
        final int payloadLength;
        final Level level;
        final boolean panic;
        final int payloadCrc;

        Header(int payloadLength, Level level, boolean panic, int payloadCrc) {
            this.payloadLength = payloadLength;
            this.level = level;
            this.panic = panic;
            this.payloadCrc = payloadCrc;
        }

        long framedBytes() {
            return HEADER_BYTES + (long) payloadLength;
        }
    }
}
