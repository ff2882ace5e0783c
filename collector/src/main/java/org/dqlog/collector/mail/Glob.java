package org.dqlog.collector.mail;

import java.util.Locale;

/**
 * A shell-style pattern for host and application names: {@code *} matches any run of
 * characters, {@code ?} exactly one; everything else matches itself, ignoring case (host names
 * are case-insensitive, and nobody wants a rule to miss {@code WebApp} for {@code webapp}).
 *
 * <p>Immutable, so thread-safe.
 */
final class Glob {

    private final String pattern;
    private final String folded;

    Glob(String pattern) {
        this.pattern = pattern == null || pattern.isEmpty() ? "*" : pattern;
        this.folded = this.pattern.toLowerCase(Locale.ROOT);
    }

    boolean matches(String text) {
        return matches(folded, 0, (text == null ? "" : text).toLowerCase(Locale.ROOT), 0);
    }

    /** Iterative matcher with single-star backtracking: linear for the patterns people write. */
    private static boolean matches(String p, int pi, String s, int si) {
        int star = -1;
        int starMatch = 0;
        while (si < s.length()) {
            if (pi < p.length() && (p.charAt(pi) == '?' || p.charAt(pi) == s.charAt(si))) {
                pi++;
                si++;
            } else if (pi < p.length() && p.charAt(pi) == '*') {
                star = pi++;
                starMatch = si;
            } else if (star >= 0) {
                pi = star + 1;
                si = ++starMatch;
            } else {
                return false;
            }
        }
        while (pi < p.length() && p.charAt(pi) == '*') {
            pi++;
        }
        return pi == p.length();
    }

    @Override
    public String toString() {
        return pattern;
    }
}
