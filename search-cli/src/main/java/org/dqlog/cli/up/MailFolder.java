package org.dqlog.cli.up;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicLong;
import org.dqlog.core.FileModes;

/**
 * The folder of {@link MailSink}: each mail becomes one {@code .eml} file named by its arrival time
 * ({@code 20261126-235959.123-0001.eml}, so a listing is in order), written under a temporary name
 * and renamed, so that a reader never sees half a mail.
 *
 * <p>Thread-safe: names are unique through an atomic counter; each mail has its own file.
 */
final class MailFolder {

    private static final DateTimeFormatter NAME_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss.SSS").withZone(ZoneOffset.UTC);

    private final Path path;
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong saved = new AtomicLong();

    MailFolder(Path path) {
        this.path = path;
    }

    Path path() {
        return path;
    }

    long saved() {
        return saved.get();
    }

    /** A new mail being written; {@link Draft#commit()} makes it appear, {@link Draft#discard()} drops it. */
    Draft draft() throws IOException {
        long n = sequence.incrementAndGet();
        String name = NAME_TIME.format(Instant.now()) + String.format("-%04d", n % 10_000);
        Path temp = path.resolve("." + name + ".tmp");
        Path target = path.resolve(name + ".eml");
        for (int i = 1; Files.exists(target); i++) {
            // another run of ./dqlog up in the same millisecond and sequence: rare, but never overwrite
            target = path.resolve(name + "-" + i + ".eml");
        }
        OutputStream out = Files.newOutputStream(temp);
        FileModes.inherit(temp);
        return new Draft(temp, target, out);
    }

    /** One mail on its way to disk. Not thread-safe: one conversation writes it. */
    final class Draft implements AutoCloseable {
        private final Path temp;
        private final Path target;
        private final OutputStream out;
        private boolean done;

        private Draft(Path temp, Path target, OutputStream out) {
            this.temp = temp;
            this.target = target;
            this.out = out;
        }

        OutputStream out() {
            return out;
        }

        /** Closes and renames the file into place; returns its name. */
        String commit() throws IOException {
            out.close();
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            done = true;
            saved.incrementAndGet();
            return target.getFileName().toString();
        }

        void discard() {
            done = true;
            try {
                out.close();
            } catch (IOException e) {
                // deleting it below is what matters
            }
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                // a stray hidden .tmp file is harmless
            }
        }

        /** Discards the mail unless it was committed. */
        @Override
        public void close() {
            if (!done) {
                discard();
            }
        }
    }
}
