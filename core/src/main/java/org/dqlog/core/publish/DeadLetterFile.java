package org.dqlog.core.publish;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Set;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import org.dqlog.core.spool.SpoolFiles;

/**
 * Messages a broker refused for good (not authorised to write to their destination, too large),
 * kept beside the spool in {@code <spool directory>.dead-letters} so that an operator can see what
 * was refused and why, and send it again once the broker's rights are fixed. One JSON object per
 * line: {@code {"refused":"<UTC time>","destination":"...","reason":"...","record":<the record as sent>}}.
 * The file is owner-only (0600) and stops growing at {@value #MAX_BYTES} bytes (further
 * refusals are still counted and reported).
 *
 * <p>Not thread-safe: the sender thread writes it.
 */
final class DeadLetterFile {

    /** Largest size of the file: 16 MiB. */
    static final long MAX_BYTES = 16L * 1024 * 1024;
    static final String SUFFIX = ".dead-letters";

    private final Path file;

    DeadLetterFile(Path file) {
        this.file = file;
    }

    /** The file beside {@code spoolDir}. */
    static DeadLetterFile besideSpool(Path spoolDir) {
        return new DeadLetterFile(spoolDir.resolveSibling(spoolDir.getFileName() + SUFFIX));
    }

    Path path() {
        return file;
    }

    /**
     * Appends one refused message.
     *
     * @return false if the file is full (nothing written)
     */
    boolean append(String destination, String reason, byte[] body) throws IOException {
        if (Files.exists(file) && Files.size(file) >= MAX_BYTES) {
            return false;
        }
        JsonStringEncoder json = JsonStringEncoder.getInstance();
        String head = "{\"refused\":\"" + Instant.now() + "\",\"destination\":\"" + new String(json.quoteAsString(destination))
                + "\",\"reason\":\"" + new String(json.quoteAsString(reason)) + "\",\"record\":";
        byte[] headBytes = head.getBytes(StandardCharsets.UTF_8);
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE), SpoolFiles.ownerOnlyFile())) {
            ByteBuffer line = ByteBuffer.allocate(headBytes.length + body.length + 2);
            line.put(headBytes).put(body).put((byte) '}').put((byte) '\n').flip();
            while (line.hasRemaining()) {
                channel.write(line);
            }
        }
        return true;
    }
}
