package org.dqlog.collector.config;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them: {@code 500ms}, {@code 1s}, {@code 10m}, {@code 2h}, {@code 7d},
 * {@code 1w}, combinations such as {@code 1h30m}, decimals such as {@code 1.5h}, the bare number
 * {@code 0}, and ISO-8601 ({@code PT10M}). A bare number other than 0 is refused: without a unit
 * nobody can tell seconds from milliseconds.
 */
public final class Durations {

    private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:\\.\\d+)?(?:ms|s|m|h|d|w))+");
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d|w)");
    private static final long MS = 1_000_000L;
    private static final Map<String, Long> NANOS = Map.of(
            "ms", MS, "s", 1000 * MS, "m", 60_000 * MS, "h", 3_600_000 * MS,
            "d", 86_400_000 * MS, "w", 7 * 86_400_000 * MS);

    /** What a duration looks like, for error messages. */
    public static final String EXPECTED = "want e.g. 500ms, 30s, 10m, 2h, 7d";

    private Durations() { }

    /**
     * @throws IllegalArgumentException {@code not a duration: 'TEXT'}
     */
    public static Duration parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("0")) {
            return Duration.ZERO;
        }
        if (t.startsWith("p")) {
            try {
                Duration d = Duration.parse(t.toUpperCase(Locale.ROOT));
                if (!d.isNegative()) {
                    return d;
                }
            } catch (DateTimeParseException e) {
                // fall through to the common message
            }
            throw notADuration(text);
        }
        if (!WHOLE.matcher(t).matches()) {
            throw notADuration(text);
        }
        BigDecimal nanos = BigDecimal.ZERO;
        Matcher m = PART.matcher(t);
        while (m.find()) {
            nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(NANOS.get(m.group(2)))));
        }
        BigDecimal[] secondsAndNanos = nanos.setScale(0, RoundingMode.DOWN).divideAndRemainder(BigDecimal.valueOf(1_000_000_000L));
        if (secondsAndNanos[0].compareTo(BigDecimal.valueOf(Long.MAX_VALUE / 2)) > 0) {
            throw new IllegalArgumentException("too long: '" + text + "'");
        }
        return Duration.ofSeconds(secondsAndNanos[0].longValueExact(), secondsAndNanos[1].longValueExact());
    }

    /** The short form {@link #parse} reads back: {@code 500ms}, {@code 10m}, {@code 1h30m}, {@code 0}. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0";
        }
        long ms = d.toMillis();
        if (d.isNegative() || Duration.ofMillis(ms).compareTo(d) != 0) {
            return d.toString();
        }
        StringBuilder out = new StringBuilder();
        String[] units = {"d", "h", "m", "s", "ms"};
        for (String unit : units) {
            long size = NANOS.get(unit) / MS;
            if (ms >= size) {
                out.append(ms / size).append(unit);
                ms %= size;
            }
        }
        return out.toString();
    }

    private static IllegalArgumentException notADuration(String text) {
        return new IllegalArgumentException("not a duration: '" + text + "' (" + EXPECTED + ")");
    }
}
