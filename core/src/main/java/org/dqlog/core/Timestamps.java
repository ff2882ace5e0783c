package org.dqlog.core;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;

/**
 * The time formats of the message contract: {@code ts}/{@code rts} as ISO-8601 UTC with exactly
 * six fraction digits ({@code 2026-11-26T23:59:59.123456Z}), and the Python tooling's {@code time}
 * in epoch seconds. Precision is the microsecond everywhere: finer digits are cut off (towards
 * the past), so that a time survives any number of encode/decode round trips unchanged.
 *
 * <p>Stateless, so thread-safe.
 */
public final class Timestamps {

    /** Reads what other producers write: any fraction length, 'T' or a space, any offset or none (UTC). */
    private static final DateTimeFormatter LENIENT_ISO = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .appendLiteral('T')
            .append(DateTimeFormatter.ISO_LOCAL_TIME)
            .optionalStart().appendOffset("+HH:MM:ss", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHmm", "Z").optionalEnd()
            .toFormatter(Locale.ROOT)
            .withResolverStyle(ResolverStyle.STRICT);

    /** Only for years outside 0000-9999, which the fast path does not handle. */
    private static final DateTimeFormatter WIDE_YEAR = DateTimeFormatter
            .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private static final DateTimeFormatter HUMAN =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss zzz", Locale.ROOT);

    private Timestamps() { }

    /** {@code 2026-11-26T23:59:59.123456Z}: UTC, always six fraction digits. */
    public static String format(Instant t) {
        LocalDateTime d = LocalDateTime.ofEpochSecond(t.getEpochSecond(), 0, ZoneOffset.UTC);
        int year = d.getYear();
        if (year < 0 || year > 9999) {
            return WIDE_YEAR.format(t);
        }
        char[] c = new char[27];
        digits(c, 0, year, 4);
        c[4] = '-';
        digits(c, 5, d.getMonthValue(), 2);
        c[7] = '-';
        digits(c, 8, d.getDayOfMonth(), 2);
        c[10] = 'T';
        digits(c, 11, d.getHour(), 2);
        c[13] = ':';
        digits(c, 14, d.getMinute(), 2);
        c[16] = ':';
        digits(c, 17, d.getSecond(), 2);
        c[19] = '.';
        digits(c, 20, t.getNano() / 1000, 6);
        c[26] = 'Z';
        return new String(c);
    }

    private static void digits(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /**
     * Reads an ISO-8601 date-time with any number of fraction digits and an offset ({@code Z},
     * {@code +02:00}, {@code +0200}); without an offset the time is taken as UTC. A space may stand
     * for the 'T'. The result is cut to microseconds.
     *
     * @throws DateTimeException when the text is no such date-time
     */
    public static Instant parse(String text) {
        Instant canonical = parseCanonical(text);
        if (canonical != null) {
            return canonical;
        }
        String s = text.trim();
        if (s.length() > 10 && s.charAt(10) == ' ') {
            s = s.substring(0, 10) + 'T' + s.substring(11);
        }
        try {
            TemporalAccessor parsed = LENIENT_ISO.parse(s);
            LocalDateTime local = LocalDateTime.from(parsed);
            ZoneOffset offset = parsed.isSupported(ChronoField.OFFSET_SECONDS)
                    ? ZoneOffset.from(parsed) : ZoneOffset.UTC;
            return local.toInstant(offset).truncatedTo(ChronoUnit.MICROS);
        } catch (DateTimeParseException e) {
            throw new DateTimeException("not an ISO-8601 date-time: '" + abbreviate(text) + "'", e);
        }
    }

    /**
     * The fast path of {@link #parse} for what every dqlog producer writes, {@link #format}'s
     * {@code 2026-11-26T23:59:59.123456Z}: digits read in place, no formatter. Null for anything
     * else (other shapes, impossible dates), which the general path reads or refuses.
     */
    private static Instant parseCanonical(String s) {
        if (s.length() != 27 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
                || s.charAt(13) != ':' || s.charAt(16) != ':' || s.charAt(19) != '.' || s.charAt(26) != 'Z') {
            return null;
        }
        int year = number(s, 0, 4);
        int month = number(s, 5, 2);
        int day = number(s, 8, 2);
        int hour = number(s, 11, 2);
        int minute = number(s, 14, 2);
        int second = number(s, 17, 2);
        int micros = number(s, 20, 6);
        if ((year | month | day | hour | minute | second | micros) < 0 || month < 1 || month > 12 || day < 1
                || day > 28 && day > YearMonth.of(year, month).lengthOfMonth()
                || hour > 23 || minute > 59 || second > 59) {
            return null;
        }
        long days = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(days * 86_400L + hour * 3_600L + minute * 60L + second, micros * 1_000L);
    }

    /** The decimal number of {@code width} digits at {@code at}, or -1 if one is no digit. */
    private static int number(String s, int at, int width) {
        int value = 0;
        for (int i = at; i < at + width; i++) {
            int d = s.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            value = value * 10 + d;
        }
        return value;
    }

    /**
     * The instant of an epoch-seconds value such as Python's {@code time.time()}, cut to
     * microseconds; null if the value is not finite or out of range. The decimal form of the
     * double is used, so {@code 1428919377.908} gives exactly {@code .908000} seconds.
     */
    public static Instant fromEpochSeconds(double seconds) {
        if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
            return null;
        }
        try {
            BigDecimal micros = BigDecimal.valueOf(seconds).movePointRight(6)
                    .setScale(0, RoundingMode.FLOOR);
            long total = micros.longValueExact();
            return Instant.ofEpochSecond(Math.floorDiv(total, 1_000_000L),
                    Math.floorMod(total, 1_000_000L) * 1000L);
        } catch (ArithmeticException | DateTimeException e) {
            return null;
        }
    }

    /**
     * Local time for people, as the Python tooling's {@code usrtime}: {@code 2015-04-13 12:02:57 CEST}.
     */
    public static String forHumans(Instant t, ZoneId zone) {
        return HUMAN.format(t.atZone(zone));
    }

    static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
