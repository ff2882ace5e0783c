package org.dqlog.archive;

import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reads the lines of a log file, plain or gzip-compressed ({@code .gz}), from a byte offset.
 * Lines end at {@code \n} only ({@link org.dqlog.core.LogLine} escapes every other line break);
 * a last fragment without {@code \n} is an unfinished write, reported by {@link #tornTail()} and
 * not returned.
 *
 * <p>Not thread-safe; one reader per thread.
 */
public final class LogFileReader implements Closeable {

    private final CountingInputStream raw;
    private final InputStream in;
    private final byte[] chunk = new byte[65536];
    private int pos;
    private int limit;
    private byte[] buf = new byte[8192];
    private long lineEnd;
    private boolean tornTail;

    private LogFileReader(CountingInputStream raw, InputStream in, long start) {
        this.raw = raw;
        this.in = in;
        this.lineEnd = start;
    }

    /** Opens {@code file} at byte {@code start} (of the uncompressed text; must be 0 for a .gz file). */
    public static LogFileReader open(Path file, long start) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            boolean gz = file.getFileName().toString().endsWith(LogLayout.GZIP_SUFFIX);
            if (gz && start != 0) {
                throw new IllegalArgumentException("a compressed file is read from its start: " + file);
            }
            ch.position(start);
            CountingInputStream raw = new CountingInputStream(Channels.newInputStream(ch));
            InputStream in = gz ? new GZIPInputStream(raw, 65536) : raw;
            return new LogFileReader(raw, in, start);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** The next complete line without its {@code \n}, or null at the end. */
    public String nextLine() throws IOException {
        int n = 0;
        while (true) {
            if (pos == limit) {
                limit = in.read(chunk, 0, chunk.length);
                pos = 0;
                if (limit <= 0) {
                    limit = 0;
                    tornTail = n > 0;
                    return null;
                }
            }
            int start = pos;
            while (pos < limit && chunk[pos] != '\n') {
                pos++;
            }
            int len = pos - start;
            if (n + len > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, n + len));
            }
            System.arraycopy(chunk, start, buf, n, len);
            n += len;
            if (pos < limit) {
                pos++;
                lineEnd += n + 1;
                return new String(buf, 0, n, StandardCharsets.UTF_8);
            }
        }
    }

    /** Offset (in the uncompressed text) just after the last line returned. */
    public long lineEnd() {
        return lineEnd;
    }

    /** True once the end was reached and the file ended with an unfinished line. */
    public boolean tornTail() {
        return tornTail;
    }

    /** Bytes read from the file itself (compressed bytes for a .gz file), for progress reports. */
    public long fileBytesRead() {
        return raw.count;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private static final class CountingInputStream extends FilterInputStream {
        long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
