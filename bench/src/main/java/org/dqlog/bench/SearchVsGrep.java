package org.dqlog.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.dqlog.archive.ArchiveStore;
import org.dqlog.archive.StorageSettings;
import org.dqlog.core.Level;
import org.dqlog.core.LogRecord;
import org.dqlog.core.Status;
import org.dqlog.testkit.ChildProcess;

/**
 * A selective search over N archived records: {@code dqlog search} (a separate JVM, as users run
 * it, start-up included) against {@code zcat -f | LC_ALL=C grep -E} over the collector's files
 * (all hosts, and only the one host's folder) and {@code grep -r} over an uncompressed copy. The
 * records are written with the collector's own {@link ArchiveStore} (files rolled at
 * {@code --max-file-mb} and gzipped, Lucene index), spread over one day and 20 hosts; one record in
 * 1,000 carries the rare word. Every tool must report the count the generator expects.
 *
 * <pre>java -cp CP org.dqlog.bench.SearchVsGrep [--records 1000000] [--dir DIR (kept; reused if it holds data)] [--runs 5] [--max-file-mb 16]</pre>
 */
public final class SearchVsGrep {

    static final String RARE_WORD = "zebrafish";
    static final int HOSTS = 20;
    static final String HOST = "pc-tier0-07";
    static final Instant DAY = Instant.parse("2026-11-26T00:00:00Z");
    static final Instant SINCE = Instant.parse("2026-11-26T06:00:00Z");
    static final Instant UNTIL = Instant.parse("2026-11-26T12:00:00Z");
    /** The human part of a line of HOST in [SINCE, UNTIL) whose message holds the word (docs/collector-storage.md). */
    static final String GREP_SELECTIVE = "^2026-11-26T(0[6-9]|1[01]):[0-9:.]+Z [A-Z]+ " + HOST + " [^\t]*" + RARE_WORD;
    /** The word in the human part of any line: the broad query. */
    static final String GREP_BROAD = "^[^\t]*" + RARE_WORD;

    private static final String[] APPS = {"webdisplay", "dqm-merge", "han-runner", "cool-upload", "dcs-calculator"};
    private static final String[] WORDS = {"histogram", "run", "stream", "merge", "checked", "threshold", "upload",
        "database", "cache", "reference", "partition", "lumiblock", "folder", "status", "result", "config"};

    private SearchVsGrep() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv, "--records", "--dir", "--runs", "--max-file-mb");
        int records = args.intValue("--records", 1_000_000);
        int runs = args.intValue("--runs", 5);
        long maxFileBytes = args.intValue("--max-file-mb", 16) * 1024L * 1024L;
        String dirArg = args.string("--dir", null);
        Path dir = dirArg != null ? Path.of(dirArg).toAbsolutePath() : Files.createTempDirectory("dqlog-bench-search");
        System.out.printf("SearchVsGrep: %,d records in %s; %s%n", records, dir, Machine.describe());
        try {
            run(dir, records, runs, maxFileBytes);
        } finally {
            if (dirArg == null) {
                TempDirs.deleteQuietly(dir);
            }
        }
    }

    private static void run(Path dir, int records, int runs, long maxFileBytes) throws Exception {

        Expected expected = generateIfMissing(dir, records, maxFileBytes);
        Path plain = dir.resolve("plain");
        if (!Files.exists(plain)) {
            decompressCopy(dir.resolve("logs"), plain);
        }
        System.out.printf("data: %s in logs/ (%s), %s uncompressed, index %s%n", files(dir.resolve("logs")),
                mib(size(dir.resolve("logs"))), mib(size(plain)), mib(size(dir.resolve("index"))));

        String java = ChildProcess.javaExecutable();
        String cp = System.getProperty("java.class.path");
        // The launcher's options for short commands (docs/cli.md, Start-up).
        String dqlog = quote(java) + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -cp " + quote(cp)
                + " org.dqlog.cli.Main search --data " + quote(dir.toString()) + " -c ";
        String logs = quote(dir.resolve("logs").toString());
        List<Command> commands = List.of(
                new Command("selective", "dqlog search", expected.selective,
                        dqlog + "--host " + HOST + " --since " + SINCE + " --until " + UNTIL + " " + RARE_WORD),
                new Command("selective", "zcat -f (all hosts) | grep -E", expected.selective,
                        "zcat -f " + logs + "/*/* | LC_ALL=C grep -cE " + quote(GREP_SELECTIVE)),
                new Command("selective", "zcat -f (the host's folder) | grep -E", expected.selective,
                        "zcat -f " + logs + "/" + HOST + "/* | LC_ALL=C grep -cE " + quote(GREP_SELECTIVE)),
                new Command("selective", "grep -rE (uncompressed copy)", expected.selective,
                        "LC_ALL=C grep -rhE " + quote(GREP_SELECTIVE) + " " + quote(plain.toString()) + " | wc -l"),
                new Command("broad", "dqlog search", expected.broad, dqlog + RARE_WORD),
                new Command("broad", "zcat -f | grep -E", expected.broad,
                        "zcat -f " + logs + "/*/* | LC_ALL=C grep -cE " + quote(GREP_BROAD)),
                new Command("broad", "grep -rE (uncompressed copy)", expected.broad,
                        "LC_ALL=C grep -rhE " + quote(GREP_BROAD) + " " + quote(plain.toString()) + " | wc -l"));

        System.out.printf("selective: '%s' on host %s, ts in [%s, %s): %d records; broad: '%s' anywhere: %d records%n",
                RARE_WORD, HOST, SINCE, UNTIL, expected.selective, RARE_WORD, expected.broad);
        for (Command c : commands) {
            c.time(runs);
        }
        System.out.println("hyperfine equivalent (warm page cache, as above; export CP as this JVM's class path first):");
        for (Command c : commands) {
            String shell = c.shell.replace(quote(cp), "\"$CP\"").replace(quote(java), "java");
            System.out.println("  hyperfine -w 1 -r " + runs + " " + quote(shell));
        }
    }

    /** What the generator wrote: the counts each query must find. */
    record Expected(long selective, long broad) {
    }

    static Expected generateIfMissing(Path dir, int records, long maxFileBytes) throws IOException {
        Path marker = dir.resolve("bench-expected.txt");
        if (Files.exists(marker)) {
            long[] counts = Arrays.stream(Files.readString(marker).trim().split(" ")).mapToLong(Long::parseLong).toArray();
            if (counts[0] == records) {
                System.out.println("reusing the data generated before in " + dir);
                return new Expected(counts[1], counts[2]);
            }
            throw new IllegalStateException(dir + " holds " + counts[0] + " records, not " + records + ": give another --dir");
        }
        long start = System.nanoTime();
        Random random = new Random(42);
        long spanMicros = Duration.ofDays(1).toNanos() / 1000;
        long selective = 0;
        long broad = 0;
        StorageSettings settings = StorageSettings.defaults(dir).withMaxFileBytes(maxFileBytes)
                // commit and compress when this generator says so, not on a timer
                .withCommitInterval(Duration.ofDays(1)).withMaintenanceInterval(Duration.ofDays(1));
        try (ArchiveStore store = ArchiveStore.open(settings, Clock.systemUTC(), Status.SILENT)) {
            List<LogRecord> batch = new ArrayList<>(10_000);
            for (int i = 0; i < records; i++) {
                int hostNumber = 1 + random.nextInt(HOSTS);
                String host = String.format("pc-tier0-%02d", hostNumber);
                Instant ts = DAY.plusNanos((long) i * spanMicros / records * 1000 + random.nextInt(1000) * 1000L);
                boolean rare = random.nextInt(1000) == 0;
                LogRecord r = record(random, i, host, hostNumber, ts, rare);
                if (rare) {
                    broad++;
                    if (host.equals(HOST) && !ts.isBefore(SINCE) && ts.isBefore(UNTIL)) {
                        selective++;
                    }
                }
                batch.add(r);
                if (batch.size() == 10_000) {
                    store.archive(batch);
                    batch.clear();
                    if ((i + 1) % 200_000 == 0) {
                        store.commit();
                        System.out.printf("  generated %,d records (%.0f s)%n", i + 1, (System.nanoTime() - start) / 1e9);
                    }
                }
            }
            store.archive(batch);
            store.commit();
            store.maintainNow();
        }
        Files.writeString(marker, records + " " + selective + " " + broad + "\n");
        System.out.printf("generated %,d records with ArchiveStore in %.0f s%n", records, (System.nanoTime() - start) / 1e9);
        return new Expected(selective, broad);
    }

    private static LogRecord record(Random random, int i, String host, int hostNumber, Instant ts, boolean rare) {
        int roll = random.nextInt(100);
        Level level = roll < 12 ? Level.DEBUG : roll < 92 ? Level.INFO : roll < 98 ? Level.WARN : Level.ERROR;
        StringBuilder message = new StringBuilder(120);
        int words = 8 + random.nextInt(12);
        for (int w = 0; w < words; w++) {
            if (w > 0) {
                message.append(' ');
            }
            if (rare && w == words / 2) {
                message.append(RARE_WORD);
            } else if (random.nextInt(4) == 0) {
                message.append(random.nextInt(1_000_000));
            } else {
                message.append(WORDS[random.nextInt(WORDS.length)]);
            }
        }
        return LogRecord.builder()
                .id(String.format("bench-%010d", i))
                .ts(ts)
                .host(host)
                .app(APPS[hostNumber % APPS.length])
                .pid(1000L + hostNumber)
                .level(level)
                .logger("org.atlas.dqm." + WORDS[random.nextInt(WORDS.length)] + ".Service")
                .thread("worker-" + random.nextInt(8))
                .message(message.toString())
                .putMdc("run", Integer.toString(400_000 + random.nextInt(100)))
                .build();
    }

    /** The per-host files again, every .gz decompressed: what {@code grep -r} users would keep instead. */
    static void decompressCopy(Path logs, Path plain) throws IOException {
        try (Stream<Path> files = Files.walk(logs)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String name = file.getFileName().toString();
                Path target = plain.resolve(logs.relativize(file).toString().replaceAll("\\.gz$", ""));
                Files.createDirectories(target.getParent());
                try (InputStream in = name.endsWith(".gz") ? new GZIPInputStream(Files.newInputStream(file), 1 << 16)
                        : Files.newInputStream(file); OutputStream out = Files.newOutputStream(target)) {
                    in.transferTo(out);
                }
            }
        }
    }

    /** One shell command, timed as a whole (JVM start-up included), checked against the expected count. */
    static final class Command {
        final String query;
        final String tool;
        final long expectedCount;
        final String shell;

        Command(String query, String tool, long expectedCount, String shell) {
            this.query = query;
            this.tool = tool;
            this.expectedCount = expectedCount;
            this.shell = shell;
        }

        void time(int runs) throws IOException, InterruptedException {
            long count = runOnce(); // warm-up, and the check
            if (count != expectedCount) {
                throw new IllegalStateException(tool + " counted " + count + " instead of " + expectedCount + ": " + shell);
            }
            long[] nanos = new long[runs];
            for (int i = 0; i < runs; i++) {
                long start = System.nanoTime();
                runOnce();
                nanos[i] = System.nanoTime() - start;
            }
            Arrays.sort(nanos);
            System.out.printf("%-9s %-40s median %7.3f s  (min %.3f, max %.3f, %d runs, count %d)  load %s%n", query, tool,
                    nanos[runs / 2] / 1e9, nanos[0] / 1e9, nanos[runs - 1] / 1e9, runs, count, Machine.loadAverage());
        }

        long runOnce() throws IOException, InterruptedException {
            Process p = new ProcessBuilder("bash", "-c", shell).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            int code = p.waitFor();
            // grep -c and dqlog search -c exit 1 when nothing matched, with the count 0
            if (code > 1) {
                throw new IllegalStateException(tool + " exited " + code + ": " + out);
            }
            try {
                return Long.parseLong(out);
            } catch (NumberFormatException e) {
                throw new IllegalStateException(tool + " printed no count: " + out);
            }
        }
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    private static String files(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            List<Path> all = files.filter(Files::isRegularFile).toList();
            long gz = all.stream().filter(f -> f.toString().endsWith(".gz")).count();
            return all.size() + " files (" + gz + " gzipped)";
        }
    }

    private static String mib(long bytes) {
        return String.format("%.0f MiB", bytes / (1024.0 * 1024.0));
    }
}
