package org.dqlog.cli.search;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.dqlog.cli.CliException;

/**
 * The {@code -e} patterns, matched as grep does against the record's whole file line: a line is
 * selected when any pattern is found in it ({@code -v}: when none is). Java regular expressions;
 * {@code -F} takes the patterns literally, {@code -i} ignores case (Unicode-aware).
 *
 * <p>Not thread-safe (reuses its matchers).
 */
public final class LineMatcher {

    private final List<Matcher> matchers = new ArrayList<>();
    private final boolean invert;

    private LineMatcher(List<Pattern> patterns, boolean invert) {
        for (Pattern p : patterns) {
            matchers.add(p.matcher(""));
        }
        this.invert = invert;
    }

    /**
     * @throws CliException naming the bad pattern and the position of the error
     */
    public static LineMatcher of(List<String> patterns, boolean fixed, boolean ignoreCase, boolean invert) {
        int flags = ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0;
        List<Pattern> compiled = new ArrayList<>();
        for (String p : patterns) {
            try {
                compiled.add(Pattern.compile(fixed ? Pattern.quote(p) : p, flags));
            } catch (PatternSyntaxException e) {
                throw new CliException("bad regular expression at position " + (e.getIndex() + 1) + ": "
                        + e.getDescription() + " in '" + p + "'");
            }
        }
        return new LineMatcher(compiled, invert);
    }

    /** True if the line is selected. */
    public boolean selects(String line) {
        if (line == null) {
            return invert;
        }
        for (Matcher m : matchers) {
            if (m.reset(line).find()) {
                return !invert;
            }
        }
        return invert;
    }

    /** Where the patterns match in {@code text} (start, end pairs, sorted, not overlapping), for colour. */
    public List<int[]> spans(String text) {
        List<int[]> spans = new ArrayList<>();
        if (invert) {
            return spans;
        }
        for (Matcher m : matchers) {
            m.reset(text);
            while (m.find()) {
                if (m.end() > m.start()) {
                    spans.add(new int[] {m.start(), m.end()});
                } else if (m.end() >= text.length()) {
                    break;
                }
            }
        }
        spans.sort((a, b) -> a[0] != b[0] ? Integer.compare(a[0], b[0]) : Integer.compare(b[1], a[1]));
        List<int[]> merged = new ArrayList<>();
        for (int[] s : spans) {
            if (!merged.isEmpty() && s[0] < merged.get(merged.size() - 1)[1]) {
                int[] last = merged.get(merged.size() - 1);
                last[1] = Math.max(last[1], s[1]);
            } else {
                merged.add(s);
            }
        }
        return merged;
    }
}
