package org.dqlog.core.spool;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.Set;

/**
 * Owner-only files for the spool: a spool holds every line an application logged, and a sender
 * sends whatever it finds there under its own credentials, so no other local user may read or
 * write it. Directories are created 0700, files 0600; an existing directory of another owner is
 * refused ({@link SpoolNotOwnedException}), and one of ours that is open to others is tightened.
 * On a file system without POSIX permissions these checks do nothing.
 *
 * <p>Stateless, so thread-safe.
 */
public final class SpoolFiles {

    private static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OPEN_TO_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private SpoolFiles() {
    }

    /** True where the default file system knows POSIX permissions (Linux, macOS). */
    static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    /** Attributes for creating a file 0600 (none where POSIX permissions are unknown). */
    public static FileAttribute<?>[] ownerOnlyFile() {
        return posix() ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE_MODE)} : new FileAttribute<?>[0];
    }

    /**
     * Creates {@code directory} and its missing parents owner-only, and checks that {@code directory}
     * and, where {@code checkParent}, its parent (the user's spool root) belong to this user;
     * tightens either to 0700 if it is open to others.
     *
     * @throws SpoolNotOwnedException if one of them belongs to another user
     */
    public static void prepareDirectory(Path directory, boolean checkParent) throws IOException {
        Path absolute = directory.toAbsolutePath();
        Path parent = absolute.getParent();
        if (!posix()) {
            Files.createDirectories(absolute);
            return;
        }
        if (checkParent && parent != null) {
            createOwnerOnly(parent);
            checkOwned(parent);
        }
        createOwnerOnly(absolute);
        checkOwned(absolute);
    }

    private static void createOwnerOnly(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        Path parent = directory.getParent();
        if (parent != null && !Files.exists(parent)) {
            createOwnerOnly(parent);
        }
        try {
            Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(DIRECTORY_MODE));
        } catch (java.nio.file.FileAlreadyExistsException e) {
            // another process made it meanwhile: checked below like any existing directory
        }
    }

    private static void checkOwned(Path directory) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(directory, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        if (view == null) {
            return;
        }
        UserPrincipal owner = view.getOwner();
        UserPrincipal me = currentUser();
        if (me != null && !owner.equals(me)) {
            throw new SpoolNotOwnedException(directory, owner.getName());
        }
        if (Files.isSymbolicLink(directory)) {
            throw new SpoolNotOwnedException(directory, "a symbolic link");
        }
        Set<PosixFilePermission> mode = view.readAttributes().permissions();
        if (mode.stream().anyMatch(OPEN_TO_OTHERS::contains)) {
            view.setPermissions(DIRECTORY_MODE);
        }
    }

    /** Makes an existing spool file 0600 (files written by an older version were 0644). */
    static void tighten(Path file) {
        if (!posix()) {
            return;
        }
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            if (mode.stream().anyMatch(OPEN_TO_OTHERS::contains)) {
                Files.setPosixFilePermissions(file, FILE_MODE);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // a file we cannot tighten is one we cannot have written either; reading it fails later if it matters
        }
    }

    /** The user this process runs as: the owner of a file it creates, which no property can fake. */
    private static UserPrincipal currentUser() throws IOException {
        Path probe = Files.createTempFile("dqlog-owner", ".tmp", ownerOnlyFile());
        try {
            return Files.getOwner(probe);
        } finally {
            Files.deleteIfExists(probe);
        }
    }
}
