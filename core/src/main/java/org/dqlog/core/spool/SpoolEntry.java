package org.dqlog.core.spool;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

import org.dqlog.core.Level;

/**
 * One record on its way to a broker: the UTF-8 JSON body, ready to send, and what the queue and
 * the spool need to know about it without decoding it (id, level, panic).
 *
 * <p>An entry is either <b>encoded</b> (its id and body are known: read from a spool, or made by
 * {@link #of} / {@link #wrap}) or <b>captured</b> ({@link #captured}): an application thread
 * captured the event and queued it, and the body is encoded by the first thread that asks for
 * the id or the bytes (the spill thread writing it to the spool, the sender making its message),
 * exactly once. Until then the memory queue counts it by {@link #memoryBytes()}, an estimate of
 * what the captured event holds, so that memory stays bounded without encoding on the
 * application thread.
 *
 * <p>Thread-safe: level, panic and the memory estimate are fixed; the encoding happens once,
 * under the entry's lock, and is then immutable. The body array is never exposed: read it
 * through {@link #body()} (a read-only view), {@link #writeBodyTo} or {@link #copyOfBody()}.
 */
public final class SpoolEntry {

    /** Longest id accepted; ids are an instance id and a sequence number, far shorter. */
    public static final int MAX_ID_CHARS = 1024;

    /** Makes the encoded form of a captured entry; called once, on a sender-side thread. Must not throw. */
    public interface Encoding {
        /** The encoded entry: its id and body (its level and panic flag are the captured entry's). */
        SpoolEntry encode();
    }

    private final Level level;
    private final boolean panic;
    private final LevelClass levelClass;
    private final long estimatedBytes;
    private Encoding encoding; // null once encoded; guarded by this
    private volatile Encoded encoded;

    private SpoolEntry(Level level, boolean panic, long memoryBytes, Encoding encoding, Encoded encoded) {
        this.level = Objects.requireNonNull(level, "level");
        this.panic = panic;
        this.levelClass = LevelClass.of(level, panic);
        this.estimatedBytes = memoryBytes;
        this.encoding = encoding;
        this.encoded = encoded;
    }

    private static SpoolEntry encodedEntry(String id, Level level, boolean panic, byte[] body) {
        Encoded e = new Encoded(id, body);
        return new SpoolEntry(level, panic, body.length, null, e);
    }

    /** An entry holding a copy of {@code body}. */
    public static SpoolEntry of(String id, Level level, boolean panic, byte[] body) {
        return encodedEntry(id, level, panic, body.clone());
    }

    /**
     * An entry that takes ownership of {@code body} without copying it (the encoder's fresh array,
     * which can be megabytes); the caller must never modify the array afterwards.
     */
    public static SpoolEntry wrap(String id, Level level, boolean panic, byte[] body) {
        return encodedEntry(id, level, panic, body);
    }

    /**
     * A captured record, encoded later by {@code encoding}.
     *
     * @param memoryBytes what the captured record holds in memory (an estimate, at least 1): what
     *     the memory queue's byte bound counts for it
     */
    public static SpoolEntry captured(Level level, boolean panic, long memoryBytes, Encoding encoding) {
        return new SpoolEntry(level, panic, Math.max(1, memoryBytes), Objects.requireNonNull(encoding, "encoding"), null);
    }

    /** The record's id; encodes a captured entry. */
    public String id() {
        return encoded().id;
    }

    public Level level() {
        return level;
    }

    /** True if this record also goes to the panic queue; such an entry is dropped last. */
    public boolean isPanic() {
        return panic;
    }

    public LevelClass levelClass() {
        return levelClass;
    }

    /** True once the body is known (always, except for a captured entry nobody has read yet). */
    public boolean isEncoded() {
        return encoded != null;
    }

    /**
     * What the memory queue's byte bound counts for this entry: the body's length once encoded,
     * until then the estimate given to {@link #captured}. The queue keeps what it counted when it
     * took the entry, so that an encoding meanwhile does not upset its total.
     */
    public long memoryBytes() {
        Encoded e = encoded;
        return e != null ? e.body.length : estimatedBytes;
    }

    /** Length of the body in bytes; encodes a captured entry. */
    public int bodyBytes() {
        return encoded().body.length;
    }

    /** The body as a read-only buffer over the entry's own bytes (no copy). */
    public ByteBuffer body() {
        return ByteBuffer.wrap(encoded().body).asReadOnlyBuffer();
    }

    public void writeBodyTo(OutputStream out) throws IOException {
        out.write(encoded().body);
    }

    public byte[] copyOfBody() {
        return encoded().body.clone();
    }

    /** The body as a string; for tests and diagnostics. */
    public String bodyAsString() {
        return new String(encoded().body, StandardCharsets.UTF_8);
    }

    byte[] bodyArray() {
        return encoded().body;
    }

    byte[] idUtf8() {
        return encoded().idUtf8;
    }

    private Encoded encoded() {
        Encoded e = encoded;
        if (e != null) {
            return e;
        }
        synchronized (this) {
            if (encoded == null) {
                SpoolEntry made = encoding.encode();
                encoded = made.encoded();
                encoding = null; // let the captured event go
            }
            return encoded;
        }
    }

    /** Same id, level, panic flag and body bytes. */
    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof SpoolEntry)) {
            return false;
        }
        SpoolEntry that = (SpoolEntry) other;
        return panic == that.panic && level == that.level && id().equals(that.id())
                && Arrays.equals(bodyArray(), that.bodyArray());
    }

    @Override
    public int hashCode() {
        return id().hashCode() * 31 + Arrays.hashCode(bodyArray());
    }

    /** Id, level and size; never the body, which may hold anything the application logged. Never encodes. */
    @Override
    public String toString() {
        Encoded e = encoded;
        return "SpoolEntry[" + (e == null ? "captured" : e.id) + ", " + level + (panic ? ", panic" : "") + ", "
                + (e == null ? "~" + estimatedBytes : String.valueOf(e.body.length)) + " bytes]";
    }

    /** An id and its body. */
    private static final class Encoded {
        final String id;
        final byte[] body;
        final byte[] idUtf8;

        Encoded(String id, byte[] body) {
            this.id = Objects.requireNonNull(id, "id");
            this.body = Objects.requireNonNull(body, "body");
            if (id.length() > MAX_ID_CHARS) {
                throw new IllegalArgumentException("record id longer than " + MAX_ID_CHARS + " characters");
            }
            this.idUtf8 = id.getBytes(StandardCharsets.UTF_8);
        }
    }
}
