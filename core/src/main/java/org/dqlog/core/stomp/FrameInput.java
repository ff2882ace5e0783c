package org.dqlog.core.stomp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * The buffered input a session's reader thread reads frames from. Unlike {@link
 * java.io.BufferedInputStream} it takes no lock per byte, and {@link #copyUntil} moves the bytes
 * up to a delimiter (a header line's LF, a body's NUL) in bulk, so that {@link FrameCodec} reads
 * headers and bodies without content-length at the speed of an array scan.
 *
 * <p>Not thread-safe: one reader thread owns it.
 */
public final class FrameInput extends InputStream {

    /** {@link #copyUntil} ran into the end of the stream before the delimiter. */
    public static final long END = -1;

    private final InputStream in;
    private final byte[] buffer;
    private int position;
    private int limit;

    public FrameInput(InputStream in, int bufferBytes) {
        this.in = Objects.requireNonNull(in, "in");
        this.buffer = new byte[bufferBytes];
    }

    @Override
    public int read() throws IOException {
        if (position == limit && !fill()) {
            return -1;
        }
        return buffer[position++] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (position == limit) {
            if (len >= buffer.length) {
                return in.read(b, off, len); // large bodies skip the copy through the buffer
            }
            if (!fill()) {
                return -1;
            }
        }
        int n = Math.min(len, limit - position);
        System.arraycopy(buffer, position, b, off, n);
        position += n;
        return n;
    }

    @Override
    public int available() throws IOException {
        return limit - position + in.available();
    }

    /**
     * Copies the bytes before the next {@code delimiter} into {@code sink} (at most {@code max}
     * of them) and consumes the delimiter too.
     *
     * @return the number of bytes copied; {@link #END} when the stream ended first; {@code max + 1}
     *         when more than {@code max} bytes came before the delimiter (then exactly {@code max + 1}
     *         bytes were consumed, none of them the delimiter, and {@code max} copied)
     */
    public long copyUntil(int delimiter, ByteArrayOutputStream sink, long max) throws IOException {
        long copied = 0;
        while (true) {
            if (position == limit && !fill()) {
                return END;
            }
            int end = position;
            long room = max - copied;
            int scanLimit = (int) Math.min(limit, position + Math.min(room, Integer.MAX_VALUE));
            while (end < scanLimit && buffer[end] != (byte) delimiter) {
                end++;
            }
            int n = end - position;
            sink.write(buffer, position, n);
            copied += n;
            position = end;
            if (end < limit && buffer[end] == (byte) delimiter) {
                position++;
                return copied;
            }
            if (copied >= max && end < limit) {
                position++; // the one byte too many
                return max + 1;
            }
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private boolean fill() throws IOException {
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) {
            return false;
        }
        position = 0;
        limit = n;
        return true;
    }
}
