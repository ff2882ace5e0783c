package org.dqlog.archive.search;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The times users give {@code --since}/{@code --until} (and {@code ts:[A TO B]} in a query):
 * relative to now ({@code 30s}, {@code 15m}, {@code 2h}, {@code 3d}, {@code 1w}), {@code now}, or
 * ISO: a date ({@code 2026-11-26}, UTC midnight), a date-time without offset (UTC, as the files),
 * or with one ({@code Z}, {@code +02:00}); a space may stand for the {@code T}.
 *
 * <p>Stateless, so thread-safe.
 */
public final class TimeSpec {

    private static final Pattern RELATIVE = Pattern.compile("(\\d{1,9})\\s*(s|m|h|d|w)");

    private TimeSpec() { }

    /**
     * @param option the option or field the text came from, for the error message
     * @throws SearchException naming the option and the accepted forms
     */
    public static Instant parse(String option, String text, Instant now) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.equals("now")) {
            return now;
        }
        Matcher m = RELATIVE.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration d;
            switch (m.group(2)) {
                case "s" -> d = Duration.ofSeconds(n);
                case "m" -> d = Duration.ofMinutes(n);
                case "h" -> d = Duration.ofHours(n);
                case "d" -> d = Duration.ofDays(n);
                default -> d = Duration.ofDays(7 * n);
            }
            return now.minus(d);
        }
        String iso = text.strip().replace(' ', 'T');
        try {
            if (iso.length() == 10) {
                return LocalDate.parse(iso).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            if (iso.endsWith("Z") || iso.endsWith("z") || iso.matches(".*T.*[+-]\\d{2}(:?\\d{2})?$")) {
                return OffsetDateTime.parse(iso.replace('z', 'Z')).toInstant();
            }
            return LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            throw new SearchException("bad time for " + option + ": '" + text + "' (expected 30s, 15m, 2h, 3d, 1w,"
                    + " now, or an ISO date or date-time such as 2026-11-26 or 2026-11-26T10:00:00Z)");
        }
    }
}
