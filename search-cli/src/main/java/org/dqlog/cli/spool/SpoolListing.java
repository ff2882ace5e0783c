package org.dqlog.cli.spool;

import java.io.PrintWriter;
import java.util.Locale;
import org.dqlog.core.spool.SpoolSummary;

/** Prints a {@link SpoolSummary} for people: one header line per spool, one line per level class. */
public final class SpoolListing {

    private SpoolListing() { }

    /**
     * <pre>
     * /tmp/dqlog-spool-ops/cron-job: 1,010 records, 212.4 KiB on disk, oldest 2026-12-03T08:12:00.123456Z, lock free (last held by pid 4242)
     *   PANIC      10 records    4.1 KiB  oldest 2026-12-03T08:12:00.123456Z
     * </pre>
     */
    public static void print(SpoolSummary summary, PrintWriter out) {
        out.println(summary.directory() + ": " + String.format(Locale.ROOT, "%,d", summary.records()) + " records, "
                + bytes(summary.sizeBytes()) + " on disk, oldest " + (summary.oldest() == null ? "-" : summary.oldest())
                + ", lock " + lock(summary)
                + (summary.damagedRecords() > 0 ? ", " + summary.damagedRecords() + " damaged" : ""));
        for (SpoolSummary.ClassSummary c : summary.classes()) {
            out.println(String.format(Locale.ROOT, "  %-6s %,10d records %10s  oldest %s", c.levelClass(), c.records(),
                    bytes(c.bytes()), c.oldest() == null ? "-" : c.oldest()));
        }
    }

    private static String lock(SpoolSummary summary) {
        return switch (summary.lockState()) {
            case HELD -> "held by " + summary.lockHolder() + " (it sends this spool itself)";
            case FREE -> "free" + (summary.lockHolder().isEmpty() ? "" : " (last held by " + summary.lockHolder() + ")");
            case NONE -> "none";
        };
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
    }
}
