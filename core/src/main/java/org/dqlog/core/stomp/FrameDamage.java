package org.dqlog.core.stomp;

import java.util.Objects;

/**
 * Why a MESSAGE frame was read past instead of whole: the frame itself was intact enough to
 * find its end, so the stream goes on, but its body is not what the sender sent. The reader
 * hands such a frame over (instead of failing the session, which would make the broker deliver
 * the same message again for ever) so that its consumer can set it aside and acknowledge it.
 *
 * <p>Immutable, so thread-safe.
 */
public final class FrameDamage {

    /** What was wrong with a frame. */
    public enum Kind {
        /**
         * The body runs past its {@code content-length}: ActiveMQ replaces invalid UTF-8 in a text
         * message with U+FFFD (3 bytes each) but keeps the sender's length.
         */
        LENGTH_MISMATCH,
        /** Larger than the reader's frame limit; only the first {@link FrameCodec#OVERSIZE_KEPT_BYTES} of the body are kept. */
        OVERSIZE
    }

    private final Kind kind;
    private final long bodyBytes;
    private final String detail;

    /**
     * @param bodyBytes the body's length on the wire (up to the frame's NUL)
     * @param detail    for reports: never body content
     */
    public FrameDamage(Kind kind, long bodyBytes, String detail) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.bodyBytes = bodyBytes;
        this.detail = detail;
    }

    public Kind kind() {
        return kind;
    }

    /** The body's length on the wire, up to the frame's NUL. */
    public long bodyBytes() {
        return bodyBytes;
    }

    /** What was wrong, for reports; never body content. */
    public String detail() {
        return detail;
    }

    @Override
    public String toString() {
        return kind + " (" + detail + ")";
    }
}
