package org.dqlog.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names and places of the data directory, for the collector, {@code dqlog search} and
 * {@code dqlog reindex}:
 *
 * <pre>
 * &lt;data&gt;/logs/&lt;host&gt;/&lt;host&gt;.log                        active file, appended to
 * &lt;data&gt;/logs/&lt;host&gt;/&lt;host&gt;.&lt;yyyy-MM-dd&gt;.&lt;seq&gt;.log       rolled, waiting for compression
 * &lt;data&gt;/logs/&lt;host&gt;/&lt;host&gt;.&lt;yyyy-MM-dd&gt;.&lt;seq&gt;.log.gz    rolled and compressed
 * &lt;data&gt;/index/                                    the Lucene index
 * </pre>
 *
 * The date is the UTC day of the file's lines; {@code seq} counts the files of that day from
 * {@code 001}. A {@code .gz.tmp} file is a compression in progress (deleted on start).
 *
 * <p>Stateless, so thread-safe.
 */
public final class LogLayout {

    public static final String LOGS_DIR = "logs";
    public static final String INDEX_DIR = "index";
    public static final String ACTIVE_SUFFIX = ".log";
    public static final String GZIP_SUFFIX = ".gz";
    public static final String TMP_SUFFIX = ".tmp";

    private static final Pattern ROLLED = Pattern.compile("(.+)\\.(\\d{4}-\\d{2}-\\d{2})\\.(\\d{3,9})\\.log(\\.gz)?");

    private LogLayout() { }

    public static Path logsDir(Path dataDir) {
        return dataDir.resolve(LOGS_DIR);
    }

    public static Path indexDir(Path dataDir) {
        return dataDir.resolve(INDEX_DIR);
    }

    /** {@code <logs>/<hostDir>/<hostDir>.log}. */
    public static Path activeFile(Path logsDir, String hostDir) {
        return logsDir.resolve(hostDir).resolve(hostDir + ACTIVE_SUFFIX);
    }

    /** The plain name of a rolled file: {@code <hostDir>.<day>.<seq>.log}. */
    static String rolledName(String hostDir, LocalDate day, int seq) {
        return hostDir + "." + day + "." + String.format("%03d", seq) + ACTIVE_SUFFIX;
    }

    /** A file of a host directory: the active one, or a rolled one with its day and sequence. */
    public record LogFile(Path path, String hostDir, LocalDate day, int seq, boolean active, boolean compressed) {

        /** Oldest first: by day and sequence, the active file last. */
        public static final Comparator<LogFile> OLDEST_FIRST = Comparator
                .comparing((LogFile f) -> f.active)
                .thenComparing(f -> f.day == null ? LocalDate.MAX : f.day)
                .thenComparingInt(LogFile::seq)
                .thenComparing(LogFile::hostDir);
    }

    /** What {@code file} is, if it is a log file of {@code hostDir}. */
    public static Optional<LogFile> classify(String hostDir, Path file) {
        String name = file.getFileName().toString();
        if (name.equals(hostDir + ACTIVE_SUFFIX)) {
            return Optional.of(new LogFile(file, hostDir, null, Integer.MAX_VALUE, true, false));
        }
        Matcher m = ROLLED.matcher(name);
        if (!m.matches() || !m.group(1).equals(hostDir)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new LogFile(file, hostDir, LocalDate.parse(m.group(2)),
                    Integer.parseInt(m.group(3)), false, m.group(4) != null));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The host directory names under {@code logsDir}, sorted; empty if there is none. */
    public static List<String> hostDirs(Path logsDir) throws IOException {
        List<String> dirs = new ArrayList<>();
        if (!Files.isDirectory(logsDir)) {
            return dirs;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(logsDir, Files::isDirectory)) {
            for (Path p : stream) {
                dirs.add(p.getFileName().toString());
            }
        }
        dirs.sort(null);
        return dirs;
    }

    /** The log files of one host, oldest first, the active file (if any) last. */
    public static List<LogFile> files(Path logsDir, String hostDir) throws IOException {
        List<LogFile> files = new ArrayList<>();
        Path dir = logsDir.resolve(hostDir);
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path p : stream) {
                classify(hostDir, p).ifPresent(files::add);
            }
        }
        files.sort(LogFile.OLDEST_FIRST);
        return files;
    }

    /** Every log file of every host, oldest first within each host. */
    public static List<LogFile> allFiles(Path logsDir) throws IOException {
        List<LogFile> all = new ArrayList<>();
        for (String host : hostDirs(logsDir)) {
            all.addAll(files(logsDir, host));
        }
        return all;
    }

    /** The end position of every host's active file, as recovery and reindex leave them. */
    static Map<String, FilePosition> activeEnds(Path logsDir) throws IOException {
        Map<String, FilePosition> ends = new LinkedHashMap<>();
        for (String host : hostDirs(logsDir)) {
            Path active = activeFile(logsDir, host);
            try {
                ends.put(host, new FilePosition(host, fileKey(active), Files.size(active)));
            } catch (NoSuchFileException e) {
                // a host whose active file was rolled and not recreated yet
            }
        }
        return ends;
    }

    /**
     * The identity of a file as a string: its file-system key (the inode on Unix, which a rename
     * keeps) and a hash of its first line. The key alone cannot tell files apart once a rolled
     * and compressed file's inode is reused for the host's next file; the first line can, since
     * it holds a record (with its unique id) that no other file starts with. Null where the file
     * system has no key.
     */
    static String fileKey(Path file) throws IOException {
        Object key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        return key == null ? null : key + "#" + firstLineHash(file);
    }

    /** Hex SHA-256 (first 16 bytes) of the bytes before the first newline, read in pieces. */
    private static String firstLineHash(Path file) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[8192];
            int n;
            outer:
            while ((n = in.read(buffer)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        sha.update(buffer, 0, i);
                        break outer;
                    }
                }
                sha.update(buffer, 0, n);
            }
        }
        byte[] digest = sha.digest();
        StringBuilder hex = new StringBuilder(32);
        for (int i = 0; i < 16; i++) {
            hex.append(Character.forDigit((digest[i] >> 4) & 0xF, 16)).append(Character.forDigit(digest[i] & 0xF, 16));
        }
        return hex.toString();
    }

    /** Makes a directory's entries (created, renamed, deleted files) durable; a no-op where unsupported. */
    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (UnsupportedOperationException | java.nio.file.AccessDeniedException e) {
            // Windows cannot open directories; its renames are durable through the journal
        }
    }
}
