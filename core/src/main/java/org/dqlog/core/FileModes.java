package org.dqlog.core;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * File modes of a data tree that follow its top directory: a directory or file created inside
 * takes the permissions of the directory it is created in (a file without the execute bits). So
 * one decision, the mode of the top directory, holds for everything below it, whatever the
 * process's umask: the collector creates its data directory {@value #OWNER_ONLY_DIR} and every
 * file in it becomes 0600; an operator who made it 0750 gets 0750 and 0640.
 *
 * <p>On a file system without POSIX permissions these methods only create and never fail for
 * the lack of them. Stateless, so thread-safe.
 */
public final class FileModes {

    /** Mode of a directory that only its owner may enter: {@value}. */
    public static final String OWNER_ONLY_DIR = "rwx------";

    private static final Set<PosixFilePermission> EXECUTE = EnumSet.of(PosixFilePermission.OWNER_EXECUTE,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_EXECUTE);

    private FileModes() { }

    /**
     * Creates {@code dir} owner-only ({@value #OWNER_ONLY_DIR}) with its missing parents, or, when
     * it exists, takes away what group and others may do with it.
     */
    public static Path createOwnerOnly(Path dir) throws IOException {
        Files.createDirectories(dir);
        try {
            Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
            perms.addAll(Files.getPosixFilePermissions(dir));
            perms.retainAll(PosixFilePermissions.fromString(OWNER_ONLY_DIR));
            Files.setPosixFilePermissions(dir, perms);
        } catch (UnsupportedOperationException e) {
            // no POSIX permissions here (a Windows share): nothing to restrict
        }
        return dir;
    }

    /** Creates {@code dir} and its missing parents, each with the permissions of the directory it is created in. */
    public static Path createDirectories(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            return dir;
        }
        Path parent = absolute.getParent();
        if (parent != null) {
            createDirectories(parent);
        }
        try {
            Files.createDirectory(absolute);
            inherit(absolute);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(absolute)) {
                throw e;
            }
        }
        return dir;
    }

    /**
     * Gives {@code path} (a file or directory just created) the permissions of its directory,
     * a file without the execute bits.
     */
    public static void inherit(Path path) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent == null) {
            return;
        }
        try {
            Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
            perms.addAll(Files.getPosixFilePermissions(parent));
            if (!Files.isDirectory(path)) {
                perms.removeAll(EXECUTE);
            }
            Files.setPosixFilePermissions(path, perms);
        } catch (UnsupportedOperationException e) {
            // no POSIX permissions here: nothing to copy
        }
    }
}
