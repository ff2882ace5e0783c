package org.dqlog.cli.search;

import java.nio.file.Path;
import java.util.List;
import org.dqlog.archive.search.Filters;

/**
 * What {@code dqlog search} was asked, parsed and checked by the command.
 *
 * @param query      Lucene query over the record fields, or null for every record
 * @param patterns   {@code -e} patterns matched against the file line; empty: none
 * @param fixed      {@code -F}: patterns are literal strings
 * @param ignoreCase {@code -i}
 * @param invert     {@code -v}: records whose line matches no pattern
 * @param before     records of context before each match ({@code -B})
 * @param after      records of context after each match ({@code -A})
 * @param maxCount   stop after this many matches; 0: no limit
 * @param output     what to print
 * @param filters    the record filters
 * @param dataDirs   the data directories to search
 */
public record SearchRequest(String query, List<String> patterns, boolean fixed, boolean ignoreCase, boolean invert,
                            int before, int after, long maxCount, Output output, LinePrinter.Format format,
                            boolean newestFirst, boolean color, Filters filters, List<Path> dataDirs) {

    /** Records printed, their count, or the hosts with counts. */
    public enum Output { RECORDS, COUNT, HOSTS }

    public SearchRequest {
        patterns = List.copyOf(patterns);
        dataDirs = List.copyOf(dataDirs);
    }

    boolean hasPatterns() {
        return !patterns.isEmpty();
    }

    boolean hasContext() {
        return before > 0 || after > 0;
    }
}
