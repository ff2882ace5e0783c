package org.dqlog.core.spool;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

import org.dqlog.core.Level;

/**
 * One encoded record on its way to a broker: the UTF-8 JSON body, ready to send, and what the
 * queue and the spool need to know about it without decoding it (id, level, panic).
 *
 * <p>Immutable, so thread-safe. The body array is never exposed: read it through
 * {@link #body()} (a read-only view), {@link #writeBodyTo} or {@link #copyOfBody()}.
 */
public final class SpoolEntry {

    /** Longest id accepted; ids are an instance id and a sequence number, far shorter. */
    public static final int MAX_ID_CHARS = 1024;

    private final String id;
    private final Level level;
    private final boolean panic;
    private final byte[] body;
    private final byte[] idUtf8;
    private final LevelClass levelClass;

    private SpoolEntry(String id, Level level, boolean panic, byte[] body) {
        this.id = Objects.requireNonNull(id, "id");
        this.level = Objects.requireNonNull(level, "level");
        this.panic = panic;
        this.body = Objects.requireNonNull(body, "body");
        if (id.length() > MAX_ID_CHARS) {
            throw new IllegalArgumentException("record id longer than " + MAX_ID_CHARS + " characters");
        }
        this.idUtf8 = id.getBytes(StandardCharsets.UTF_8);
        this.levelClass = LevelClass.of(level, panic);
    }

    /** An entry holding a copy of {@code body}. */
    public static SpoolEntry of(String id, Level level, boolean panic, byte[] body) {
        return new SpoolEntry(id, level, panic, body.clone());
    }

    /**
     * An entry that takes ownership of {@code body} without copying it (the encoder's fresh array,
     * which can be megabytes); the caller must never modify the array afterwards.
     */
    public static SpoolEntry wrap(String id, Level level, boolean panic, byte[] body) {
        return new SpoolEntry(id, level, panic, body);
    }

    public String id() {
        return id;
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

    /** Length of the body in bytes; what the memory queue's byte bound counts. */
    public int bodyBytes() {
        return body.length;
    }

    /** The body as a read-only buffer over the entry's own bytes (no copy). */
    public ByteBuffer body() {
        return ByteBuffer.wrap(body).asReadOnlyBuffer();
    }

    public void writeBodyTo(OutputStream out) throws IOException {
        out.write(body);
    }

    public byte[] copyOfBody() {
        return body.clone();
    }

    /** The body as a string; for tests and diagnostics. */
    public String bodyAsString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    byte[] bodyArray() {
        return body;
    }

    byte[] idUtf8() {
        return idUtf8;
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
        return panic == that.panic && level == that.level && id.equals(that.id) && Arrays.equals(body, that.body);
    }

    @Override
    public int hashCode() {
        return id.hashCode() * 31 + Arrays.hashCode(body);
    }

    /** Id, level and size; never the body, which may hold anything the application logged. */
    @Override
    public String toString() {
        return "SpoolEntry[" + id + ", " + level + (panic ? ", panic" : "") + ", " + body.length + " bytes]";
    }
}
