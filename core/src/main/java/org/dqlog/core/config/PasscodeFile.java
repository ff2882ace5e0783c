package org.dqlog.core.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * A file that holds a passcode: how it is read, and whether others can read it too. Every part
 * that takes a passcode file (the appenders, {@code dqlog panic}/{@code run}, the collector for
 * its broker and SMTP passcodes) reads it here and warns with {@link #exposure}, once at start,
 * as ssh does for a key file that group or others may read.
 *
 * <p>Stateless, so thread-safe.
 */
public final class PasscodeFile {

    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private PasscodeFile() { }

    /** The file's content without its trailing line breaks. */
    public static String read(Path file) throws IOException {
        String content = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        int end = content.length();
        while (end > 0 && (content.charAt(end - 1) == '\n' || content.charAt(end - 1) == '\r')) {
            end--;
        }
        return content.substring(0, end);
    }

    /**
     * A warning naming {@code file} and its mode when group or others have any permission on it;
     * empty when only its owner has, or when the file system has no POSIX modes.
     */
    public static Optional<String> exposure(Path file) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.stream().noneMatch(OTHERS::contains)) {
                return Optional.empty();
            }
            return Optional.of("the passcode file " + file + " is readable by others (mode "
                    + PosixFilePermissions.toString(perms) + "); make it owner-only: chmod 600 " + file);
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }
}
