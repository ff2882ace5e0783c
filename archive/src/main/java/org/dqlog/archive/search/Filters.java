package org.dqlog.archive.search;

import java.time.Instant;
import java.util.List;
import org.dqlog.core.Level;

/**
 * The record filters of {@code search} and {@code tail}, parsed.
 *
 * @param since      records with ts at or after this, or null
 * @param until      records with ts before this, or null
 * @param hosts      host globs, any may match; empty: every host
 * @param apps       application globs, any may match
 * @param loggers    logger globs, any may match
 * @param minLevel   this level and above (a panic without a level counts as FATAL), or null
 * @param panicsOnly only records that raised a panic
 */
public record Filters(Instant since, Instant until, List<String> hosts, List<String> apps, List<String> loggers,
                      Level minLevel, boolean panicsOnly) {

    public Filters {
        hosts = List.copyOf(hosts);
        apps = List.copyOf(apps);
        loggers = List.copyOf(loggers);
    }

    public static Filters none() {
        return new Filters(null, null, List.of(), List.of(), List.of(), null, false);
    }
}
