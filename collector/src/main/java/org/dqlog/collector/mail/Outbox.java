package org.dqlog.collector.mail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import org.dqlog.core.FileModes;
import org.dqlog.core.Status;

/**
 * The on-disk queue of panics not yet mailed: one file {@code <key>.panic} per panic, where the
 * key is a hash of the record id. A file is written to {@code <key>.tmp}, forced to disk, renamed
 * atomically and the directory forced, so after a crash a panic file is either complete or
 * absent. It is deleted only after the SMTP server accepted the mail that covers it. Files that
 * cannot be read are renamed to {@code <key>.bad} and reported, never deleted.
 *
 * <p>Thread-safe as long as no two threads write the same key at once (the notifier guarantees
 * that).
 */
final class Outbox {

    static final String SUFFIX = ".panic";
    private static final String TMP_SUFFIX = ".tmp";
    private static final String BAD_SUFFIX = ".bad";

    private final Path dir;
    private final Status status;

    Outbox(Path dir, Status status) throws IOException {
        this.dir = FileModes.createDirectories(dir);
        this.status = status;
    }

    /** 128 bits of SHA-256 of the id: fixed length, safe as a file name whatever the id holds. */
    static String keyFor(String id) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Writes one panic durably; returns when it is on disk. */
    void write(PendingPanic p) throws IOException {
        writeFile(p);
        forceDirectory();
    }

    /** Writes several panics durably, forcing the directory once. */
    void writeAll(Collection<PendingPanic> panics) throws IOException {
        for (PendingPanic p : panics) {
            writeFile(p);
        }
        forceDirectory();
    }

    /** Every pending panic, after removing half-written files of a crash. */
    List<PendingPanic> loadAll() throws IOException {
        List<PendingPanic> pending = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.endsWith(TMP_SUFFIX)) {
                    // Never renamed, so never acknowledged: the broker still holds this panic.
                    Files.deleteIfExists(f);
                } else if (name.endsWith(SUFFIX)) {
                    String key = name.substring(0, name.length() - SUFFIX.length());
                    try (InputStream in = Files.newInputStream(f)) {
                        pending.add(PanicFile.read(key, in));
                    } catch (IOException e) {
                        Path bad = f.resolveSibling(key + BAD_SUFFIX);
                        Files.move(f, bad, StandardCopyOption.REPLACE_EXISTING);
                        status.error("unreadable panic in the mail outbox, moved aside to " + bad, e);
                    }
                }
            }
        }
        return pending;
    }

    /** Forgets panics whose mail was accepted. A file that lingers only means a repeated mail after restart. */
    void delete(Collection<PendingPanic> panics) {
        for (PendingPanic p : panics) {
            try {
                Files.deleteIfExists(dir.resolve(p.key() + SUFFIX));
            } catch (IOException e) {
                status.warn("cannot delete mailed panic " + p.key() + SUFFIX + " from the outbox; it may be mailed again after a restart", e);
            }
        }
    }

    Path dir() {
        return dir;
    }

    private void writeFile(PendingPanic p) throws IOException {
        Path tmp = dir.resolve(p.key() + TMP_SUFFIX);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            FileModes.inherit(tmp);
            OutputStream out = Channels.newOutputStream(ch);
            PanicFile.write(p, out);
            out.flush();
            ch.force(true);
        }
        Files.move(tmp, dir.resolve(p.key() + SUFFIX), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Makes the rename itself durable; some platforms cannot open a directory, and need not. */
    private void forceDirectory() throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows")) {
                throw e instanceof IOException ? (IOException) e : new IOException(e);
            }
        }
    }
}
