package org.dqlog.cli;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.dqlog.archive.search.Filters;
import org.dqlog.archive.search.TimeSpec;
import org.dqlog.core.Level;
import picocli.CommandLine.Option;

/** The record filters that {@code search} and {@code tail} share (a picocli mixin). */
public final class FilterOptions {

    @Option(names = "--since", paramLabel = "TIME",
            description = {"Only records at or after TIME (producer time, ts): relative 30s, 15m, 2h, 3d, 1w;",
                "or ISO 2026-11-26, 2026-11-26T10:00, 2026-11-26T10:00:00Z, ...+02:00.",
                "A date or date-time without offset is UTC (the files are in UTC)."})
    String since;

    @Option(names = "--until", paramLabel = "TIME",
            description = "Only records before TIME (same forms as --since; the range is [since, until)).")
    String until;

    @Option(names = "--host", paramLabel = "GLOB",
            description = "Only hosts matching GLOB (* and ?, case-insensitive); repeatable, any may match.")
    List<String> hosts = new ArrayList<>();

    @Option(names = "--app", paramLabel = "GLOB",
            description = "Only applications matching GLOB; repeatable.")
    List<String> apps = new ArrayList<>();

    @Option(names = "--logger", paramLabel = "GLOB",
            description = "Only loggers matching GLOB (org.dq.* for a package); repeatable.")
    List<String> loggers = new ArrayList<>();

    @Option(names = "--level", paramLabel = "LEVEL",
            description = {"Only LEVEL and above: TRACE, DEBUG, INFO, WARN, ERROR, FATAL",
                "(WARNING and CRITICAL accepted). A panic without a level counts as FATAL."})
    String level;

    @Option(names = "--panics", description = "Only records that raised a panic.")
    boolean panics;

    /** The filters, parsed; {@code now} anchors relative times. */
    Filters toFilters(Instant now) {
        Instant from = since == null ? null : TimeSpec.parse("--since", since, now);
        Instant to = until == null ? null : TimeSpec.parse("--until", until, now);
        if (from != null && to != null && !from.isBefore(to)) {
            throw new CliException("--since " + since + " is not before --until " + until + ": nothing can match");
        }
        Level min = null;
        if (level != null) {
            min = Level.parseOrNull(level);
            if (min == null) {
                throw new CliException("bad level for --level: '" + level
                        + "' (expected TRACE, DEBUG, INFO, WARN, ERROR or FATAL; WARNING and CRITICAL accepted)");
            }
        }
        return new Filters(from, to, hosts, apps, loggers, min, panics);
    }
}
