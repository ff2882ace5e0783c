package org.dqlog.collector.config;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte sizes as people write them: {@code 512}, {@code 64MiB}, {@code 10GB}, {@code 1.5GiB}.
 * Decimal units (kB, MB, GB, TB, also written k, M, G, T) are powers of 1000 and binary units
 * (KiB, MiB, GiB, TiB, also Ki, Mi, Gi, Ti) powers of 1024, as in IEC 80000-13; case is ignored.
 * A number without a unit counts bytes.
 */
public final class Sizes {

    private static final Pattern SYNTAX = Pattern.compile("\\s*(\\d+(?:\\.\\d+)?)\\s*([A-Za-z]*)\\s*");
    private static final long KI = 1024L;
    private static final Map<String, Long> UNITS = Map.ofEntries(
            Map.entry("", 1L), Map.entry("b", 1L),
            Map.entry("k", 1000L), Map.entry("kb", 1000L),
            Map.entry("m", 1000L * 1000), Map.entry("mb", 1000L * 1000),
            Map.entry("g", 1000L * 1000 * 1000), Map.entry("gb", 1000L * 1000 * 1000),
            Map.entry("t", 1000L * 1000 * 1000 * 1000), Map.entry("tb", 1000L * 1000 * 1000 * 1000),
            Map.entry("ki", KI), Map.entry("kib", KI),
            Map.entry("mi", KI * KI), Map.entry("mib", KI * KI),
            Map.entry("gi", KI * KI * KI), Map.entry("gib", KI * KI * KI),
            Map.entry("ti", KI * KI * KI * KI), Map.entry("tib", KI * KI * KI * KI));

    /** What a size looks like, for error messages. */
    public static final String EXPECTED = "want e.g. 512KiB, 64MiB, 10GB; KiB/MiB/GiB are powers of 1024, kB/MB/GB of 1000";

    private Sizes() { }

    /**
     * The number of bytes {@code text} stands for, rounded down to a whole byte.
     *
     * @throws IllegalArgumentException {@code not a size: 'TEXT'} or {@code too large: 'TEXT'}
     */
    public static long parse(String text) {
        Matcher m = SYNTAX.matcher(text == null ? "" : text);
        Long unit = m.matches() ? UNITS.get(m.group(2).toLowerCase(Locale.ROOT)) : null;
        if (unit == null) {
            throw new IllegalArgumentException("not a size: '" + text + "' (" + EXPECTED + ")");
        }
        BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit)).setScale(0, RoundingMode.DOWN);
        if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("too large: '" + text + "'");
        }
        return bytes.longValueExact();
    }

    /** The shortest exact form: {@code 64MiB}, {@code 10GB}, {@code 1000001B}. */
    public static String format(long bytes) {
        if (bytes == 0) {
            return "0";
        }
        String[] binary = {"TiB", "GiB", "MiB", "KiB"};
        String[] decimal = {"TB", "GB", "MB", "kB"};
        for (int i = 0; i < binary.length; i++) {
            long b = 1L << (10 * (binary.length - i));
            long d = pow1000(binary.length - i);
            if (bytes % b == 0) {
                return bytes / b + binary[i];
            }
            if (bytes % d == 0) {
                return bytes / d + decimal[i];
            }
        }
        return bytes + "B";
    }

    private static long pow1000(int n) {
        long r = 1;
        for (int i = 0; i < n; i++) {
            r *= 1000;
        }
        return r;
    }
}
