package org.dqlog.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the security file of a broker child ({@code BrokerMain --security-file}): users with a
 * passcode and groups, and which groups may read, write and administer (create) each destination.
 * The file is owner-only, since it holds passcodes.
 *
 * <p>Not thread-safe: build it in one thread, then hand it to {@link BrokerProcess.Builder#security}.
 */
public final class SecurityFile {

    private final List<String> lines = new ArrayList<>();
    private Path path;

    public static SecurityFile create() {
        return new SecurityFile();
    }

    public SecurityFile user(String name, String passcode, String... groups) {
        lines.add("user " + name + " " + passcode + " " + String.join(",", groups));
        return this;
    }

    /** Rights on queues matching {@code pattern} (ActiveMQ wildcards; a physical name without {@code /queue/}). */
    public SecurityFile queue(String pattern, String readGroups, String writeGroups, String adminGroups) {
        lines.add("queue " + pattern + " " + readGroups + " " + writeGroups + " " + adminGroups);
        return this;
    }

    /** Rights on topics matching {@code pattern}. */
    public SecurityFile topic(String pattern, String readGroups, String writeGroups, String adminGroups) {
        lines.add("topic " + pattern + " " + readGroups + " " + writeGroups + " " + adminGroups);
        return this;
    }

    /** Writes the file (mode 0600) and remembers where. */
    public SecurityFile writeTo(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(file, lines, StandardCharsets.UTF_8);
        this.path = file.toAbsolutePath();
        return this;
    }

    public Path path() {
        if (path == null) {
            throw new IllegalStateException("writeTo(file) first");
        }
        return path;
    }
}
