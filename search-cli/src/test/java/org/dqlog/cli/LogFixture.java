package org.dqlog.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.dqlog.archive.ArchiveStore;
import org.dqlog.archive.IndexBackend;
import org.dqlog.archive.StorageSettings;
import org.dqlog.core.ExceptionInfo;
import org.dqlog.core.Level;
import org.dqlog.core.LogRecord;
import org.dqlog.core.Status;
import org.dqlog.core.testing.MutableClock;

/** Writes records with the collector's own storage, so the files and index are the real ones. */
final class LogFixture implements AutoCloseable {

    static final Instant T0 = Instant.parse("2026-11-24T08:00:00Z");
    static final String[] HOSTS = {"pc-tier0-01", "pc-tier0-02", "PC-Tier0-03", "lxplus901", "dqm-web"};
    private static final String[] APPS = {"webdisplay", "dqmf", "cron-merge"};
    private static final String[] LOGGERS = {"org.dq.Web", "org.dq.db.Pool", "org.dq.merge.Merger", "root"};
    private static final String[] MESSAGES = {
        "request served in 123ms", "timeout after 30s talking to cooldb", "connection refused by dqm-db:5432",
        "disk full on /data", "disk quota exceeded for user dqm", "Überlauf im Puffer 日本語 ✓",
        "tab\there and a newline\nsecond line", "escape \u001b[31mred\u001b[0m and bell \u0007",
        "backslash \\ path C:\\dq\\run", "run 456789 merged: 42 histograms", "ERROR-like text in an INFO",
        "quote \" and brace } in text", "bidi \u202e override and zero\u200bwidth", "done"};

    final MutableClock clock = new MutableClock(T0);
    final Path dataDir;
    final ArchiveStore store;
    private final Random random = new Random(42);
    private int seq;

    LogFixture(Path dataDir) throws IOException {
        this(dataDir, StorageSettings.defaults(dataDir));
    }

    LogFixture(Path dataDir, StorageSettings settings) throws IOException {
        this(dataDir, settings, IndexBackend.local());
    }

    LogFixture(Path dataDir, StorageSettings settings, IndexBackend backend) throws IOException {
        this.dataDir = dataDir;
        this.store = ArchiveStore.open(settings.withMaintenanceInterval(Duration.ofHours(1)), backend, clock,
                Status.SILENT);
    }

    /** A simple record at {@code ts} (receive time = ts). */
    static LogRecord record(String id, Instant ts, String host, Level level, String message) {
        return LogRecord.builder().id(id).type(LogRecord.TYPE_LOG).ts(ts).rts(ts).host(host).app("webdisplay")
                .pid(4242L).level(level).logger("org.dq.Web").thread("main").message(message).build();
    }

    /** Archives and commits. */
    void add(LogRecord... records) throws IOException {
        store.archive(List.of(records));
        store.commit();
    }

    /**
     * {@code count} realistic records over the hosts, each a few seconds after the last on the
     * collector clock; producers' clocks drift up to 2 s, so ts order differs a little from file order.
     */
    List<LogRecord> generate(int count, Duration step) throws IOException {
        List<LogRecord> all = new ArrayList<>();
        List<LogRecord> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            clock.advance(step);
            Instant rts = clock.instant();
            Instant ts = rts.minusMillis(random.nextInt(2000)).plusNanos(random.nextInt(1000) * 1000L);
            String host = HOSTS[random.nextInt(HOSTS.length)];
            Level level = Level.values()[weightedLevel()];
            LogRecord.Builder b = LogRecord.builder().id("gen-" + (++seq)).type(LogRecord.TYPE_LOG).ts(ts).rts(rts)
                    .host(host).app(APPS[random.nextInt(APPS.length)]).pid(1000L + random.nextInt(5))
                    .level(level).logger(LOGGERS[random.nextInt(LOGGERS.length)]).thread("worker-" + random.nextInt(3))
                    .message(MESSAGES[random.nextInt(MESSAGES.length)] + " #" + seq);
            if (level.isAtLeast(Level.ERROR) && random.nextBoolean()) {
                b.exception(new ExceptionInfo("java.io.IOException", "No space left on device",
                        "java.io.IOException: No space left on device\n\tat org.dq.Io.write(Io.java:42)\n"));
            }
            if (random.nextInt(50) == 0) {
                b.panic(true).type(LogRecord.TYPE_PANIC);
            }
            if (random.nextInt(10) == 0) {
                b.mdc(Map.of("run", "4567" + random.nextInt(10)));
            }
            LogRecord r = b.build();
            all.add(r);
            batch.add(r);
            if (batch.size() == 50) {
                store.archive(batch);
                store.commitIfDue();
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            store.archive(batch);
        }
        store.commit();
        return all;
    }

    private int weightedLevel() {
        int r = random.nextInt(100);
        return r < 5 ? 0 : r < 20 ? 1 : r < 75 ? 2 : r < 90 ? 3 : r < 98 ? 4 : 5;
    }

    /** Compresses the rolled files now. */
    void compress() throws IOException {
        store.commit();
        store.maintainNow();
    }

    @Override
    public void close() throws IOException {
        store.close();
    }
}
