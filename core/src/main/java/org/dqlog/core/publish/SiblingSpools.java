package org.dqlog.core.publish;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.dqlog.core.spool.SharedSpools;

/**
 * The spools a sender drains besides its own, so that nothing waits for a program that may never
 * run again: {@code <own>.1} ... (a second instance's, now gone) and, for a spool under the
 * default root, every spool directory in that root (this user's: the root is checked to be
 * owner-only) whatever application left it. Only directories that look like spools (a
 * {@code lock} file or segments) are listed; spools open in this JVM are skipped, and a spool
 * whose process still runs is skipped later, when its lock cannot be taken.
 *
 * <p>Stateless apart from its configuration, so thread-safe.
 */
final class SiblingSpools {

    private final Path own;
    private final boolean wholeRoot;

    /**
     * @param own the sender's spool directory (real path)
     * @param wholeRoot true for a spool under the default root: look at every directory in it
     */
    SiblingSpools(Path own, boolean wholeRoot) {
        this.own = own;
        this.wholeRoot = wholeRoot;
    }

    /** The candidates now, in name order. */
    List<Path> candidates() {
        List<Path> result = new ArrayList<>();
        Path root = own.getParent();
        if (root == null) {
            return result;
        }
        Pattern numbered = Pattern.compile(Pattern.quote(own.getFileName().toString()) + "\\.[0-9]+");
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path dir : entries) {
                if (dir.equals(own) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
                        || SharedSpools.isOpenHere(dir)) {
                    continue;
                }
                if ((wholeRoot || numbered.matcher(dir.getFileName().toString()).matches()) && looksLikeSpool(dir)) {
                    result.add(dir);
                }
            }
        } catch (IOException | RuntimeException e) {
            return result; // nothing to drain now; tried again at the next scan
        }
        result.sort(null);
        return result;
    }

    private static boolean looksLikeSpool(Path dir) throws IOException {
        if (Files.exists(dir.resolve("lock"))) {
            try (DirectoryStream<Path> segments = Files.newDirectoryStream(dir, "*.seg")) {
                if (segments.iterator().hasNext()) {
                    return true;
                }
            }
            return Files.exists(dir.resolve("dropped"));
        }
        return false;
    }
}
