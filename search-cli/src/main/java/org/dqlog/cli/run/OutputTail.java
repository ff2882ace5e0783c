package org.dqlog.cli.run;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The last lines of a command's output (stdout and stderr in the order they came), for the panic
 * of {@code dqlog run}: at most {@link #maxLines} lines and {@link #maxBytes} bytes; older lines
 * are dropped, and a single longer line keeps only its end.
 *
 * <p>Thread-safe: the stdout and stderr pumps append concurrently (methods are synchronized).
 */
public final class OutputTail {

    /** Lines kept: {@value}. */
    public static final int DEFAULT_MAX_LINES = 100;
    /** Bytes kept: {@value} (64 KiB). */
    public static final int DEFAULT_MAX_BYTES = 64 * 1024;

    private final int maxLines;
    private final int maxBytes;
    private final Deque<byte[]> lines = new ArrayDeque<>();
    private final ByteArrayOutputStream current = new ByteArrayOutputStream();
    private long bytes;
    private boolean cut;

    public OutputTail() {
        this(DEFAULT_MAX_LINES, DEFAULT_MAX_BYTES);
    }

    public OutputTail(int maxLines, int maxBytes) {
        if (maxLines <= 0 || maxBytes <= 0) {
            throw new IllegalArgumentException("maxLines and maxBytes must be positive");
        }
        this.maxLines = maxLines;
        this.maxBytes = maxBytes;
    }

    public synchronized void append(byte[] b, int off, int len) {
        int start = off;
        for (int i = off; i < off + len; i++) {
            if (b[i] == '\n') {
                current.write(b, start, i - start);
                finishLine();
                start = i + 1;
            }
        }
        current.write(b, start, off + len - start);
        if (current.size() > maxBytes) {
            // an endless line without a break: keep its end only
            byte[] all = current.toByteArray();
            current.reset();
            current.write(all, all.length - maxBytes, maxBytes);
            cut = true;
        }
        trim();
    }

    private void finishLine() {
        byte[] line = current.toByteArray();
        current.reset();
        lines.addLast(line);
        bytes += line.length + 1;
    }

    private void trim() {
        while (!lines.isEmpty() && (lines.size() + (current.size() > 0 ? 1 : 0) > maxLines
                || bytes + current.size() > maxBytes)) {
            bytes -= lines.removeFirst().length + 1;
            cut = true;
        }
    }

    /** The kept lines, decoded as UTF-8 (bad bytes replaced), the unfinished last line included. */
    public synchronized List<String> lines() {
        List<String> result = new ArrayList<>(lines.size() + 1);
        for (byte[] line : lines) {
            result.add(new String(line, StandardCharsets.UTF_8));
        }
        if (current.size() > 0) {
            result.add(new String(current.toByteArray(), StandardCharsets.UTF_8));
        }
        return result;
    }

    /** True when older output was dropped. */
    public synchronized boolean truncated() {
        return cut;
    }
}
