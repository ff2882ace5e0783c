package org.dqlog.collector;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.dqlog.collector.ops.ExpiringSet;
import org.dqlog.core.FileModes;

/**
 * The ids of the panics whose mail the notifier has durably taken, so that a panic is mailed once
 * per id however often it arrives: its redelivery after a crash, and the panic-queue copy of an
 * ERROR record whose logging-queue copy was archived first (the archive then calls it a
 * duplicate, yet it must still be mailed).
 *
 * <p>The pipeline asks {@link #contains}, hands the panics it lacks to the notifier (which
 * returns once each is in its outbox on disk), then {@link #addAll adds} their ids here (one
 * append and fsync per batch), then acknowledges. A crash before the append repeats the
 * notifier's {@code accept}, which is harmless while the mail is still pending in the outbox and
 * sends a second mail only if it went out in the moment between; a crash after the append finds
 * the id here and mails nothing. So a crash never loses a mail and rarely doubles one.
 *
 * <p>The file ({@value #FILE_NAME} in the data directory) has one id per line, with bytes
 * outside printable ASCII, space and {@code %} written as {@code %XX} (UTF-8), so an id cannot
 * break a line, then a space and when it was added (epoch milliseconds; a line without, from an
 * older collector, counts as added when it is read). An id is remembered for {@code retention}
 * ({@link #DEFAULT_RETENTION}: longer than a broker keeps a message waiting for a collector that
 * is down for a holiday), and the newest {@code capacity} at most; on open the file is rewritten
 * when it holds more than twice what is remembered. A panic redelivered after that would be
 * mailed again.
 *
 * <p>Thread-safe: all methods synchronise on this object.
 */
final class NotifiedIds implements Closeable {

    static final String FILE_NAME = "notified.ids";
    /** Ids remembered at most: {@value}. Panics are rare; this is weeks of a busy fleet's panics. */
    static final int DEFAULT_CAPACITY = 100_000;
    /** How long an id is remembered: 14 days, longer than any redelivery a collector outage can cause. */
    static final Duration DEFAULT_RETENTION = Duration.ofDays(14);

    private final Path file;
    private final Clock clock;
    private final ExpiringSet ids;
    private FileChannel channel;

    private NotifiedIds(Path file, int capacity, Duration retention, Clock clock) {
        this.file = file;
        this.clock = clock;
        this.ids = new ExpiringSet(clock, retention, capacity);
    }

    /** Reads {@code <dataDir>/notified.ids} (created if missing), with the default retention and the system clock. */
    static NotifiedIds open(Path dataDir, int capacity) throws IOException {
        return open(dataDir, capacity, DEFAULT_RETENTION, Clock.systemUTC());
    }

    /** Reads {@code <dataDir>/notified.ids} (created if missing). */
    static NotifiedIds open(Path dataDir, int capacity, Duration retention, Clock clock) throws IOException {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        FileModes.createDirectories(dataDir);
        NotifiedIds n = new NotifiedIds(dataDir.resolve(FILE_NAME), capacity, retention, clock);
        n.load();
        return n;
    }

    synchronized boolean contains(String id) {
        return ids.contains(id);
    }

    synchronized int size() {
        return ids.size();
    }

    /** Appends the ids and fsyncs; when this returns they survive a crash. */
    synchronized void addAll(Collection<String> added) throws IOException {
        if (added.isEmpty()) {
            return;
        }
        ensureOpen();
        Instant now = clock.instant();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(added.size() * 40);
        for (String id : added) {
            bytes.writeBytes(line(id, now).getBytes(StandardCharsets.US_ASCII));
            bytes.write('\n');
        }
        long before = channel.size();
        try {
            ByteBuffer buffer = ByteBuffer.wrap(bytes.toByteArray());
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(false);
        } catch (IOException e) {
            // cut back to whole lines, reopen on the next call
            try {
                channel.truncate(before);
                channel.close();
            } catch (IOException ignored) {
                // the write error is the one to report
            }
            channel = null;
            throw e;
        }
        for (String id : added) {
            ids.add(id, now);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (channel != null) {
            try {
                channel.close();
            } finally {
                channel = null;
            }
        }
    }

    private void load() throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        byte[] content = Files.readAllBytes(file);
        int lineStart = 0;
        int lines = 0;
        for (int i = 0; i < content.length; i++) {
            if (content[i] == '\n') {
                if (i > lineStart) {
                    readLine(new String(content, lineStart, i - lineStart, StandardCharsets.US_ASCII));
                    lines++;
                }
                lineStart = i + 1;
            }
        }
        if (lineStart < content.length || lines > 2 * ids.size()) {
            // an unfinished last line (a crash mid-append, never acknowledged) or too long a file
            rewrite();
        }
    }

    /** {@code ID TIME}, or {@code ID} as older collectors wrote it (then taken as added now). */
    private void readLine(String line) {
        int space = line.lastIndexOf(' ');
        Instant at = clock.instant();
        String id = line;
        if (space > 0) {
            try {
                at = Instant.ofEpochMilli(Long.parseLong(line.substring(space + 1)));
                id = line.substring(0, space);
            } catch (NumberFormatException e) {
                // not a time: the whole line is an id
            }
        }
        ids.add(unescape(id), at);
    }

    private static String line(String id, Instant at) {
        return escape(id) + " " + at.toEpochMilli();
    }

    /** Writes the remembered ids to a new file and puts it in place atomically. */
    private void rewrite() throws IOException {
        Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
        List<String> lines = new ArrayList<>(ids.size());
        for (Map.Entry<String, Instant> e : ids.entries().entrySet()) {
            lines.add(line(e.getKey(), e.getValue()));
        }
        Files.write(tmp, lines, StandardCharsets.US_ASCII);
        FileModes.inherit(tmp);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // some file systems cannot sync a directory
        }
    }

    private void ensureOpen() throws IOException {
        if (channel == null) {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
            FileModes.inherit(file);
        }
    }

    static String escape(String id) {
        StringBuilder out = new StringBuilder(id.length() + 8);
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (c > 0x20 && c < 0x7F && c != '%') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return out.toString();
    }

    static String unescape(String line) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(line.length());
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '%' && i + 2 < line.length()) {
                int hi = Character.digit(line.charAt(i + 1), 16);
                int lo = Character.digit(line.charAt(i + 2), 16);
                if (hi >= 0 && lo >= 0) {
                    out.write(hi << 4 | lo);
                    i += 2;
                    continue;
                }
            }
            out.write(c);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
