package org.dqlog.collector.ops;

import java.util.Map;

/**
 * Writes the Prometheus text exposition format, version 0.0.4: {@code # HELP} and {@code # TYPE}
 * once per metric, then its samples, label values and help texts escaped as the format requires.
 *
 * <p>Not thread-safe; one per scrape.
 */
final class PrometheusText {

    /** The content type Prometheus expects for this format. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder out = new StringBuilder(2048);

    void metric(String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(escapeHelp(help)).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    void sample(String name, double value) {
        sample(name, Map.of(), value);
    }

    void sample(String name, Map<String, String> labels, double value) {
        labels(name, labels);
        out.append(' ').append(formatValue(value)).append('\n');
    }

    /** Counters stay exact beyond 2^53. */
    void sample(String name, Map<String, String> labels, long value) {
        labels(name, labels);
        out.append(' ').append(value).append('\n');
    }

    private void labels(String name, Map<String, String> labels) {
        out.append(name);
        if (!labels.isEmpty()) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, String> l : labels.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                out.append(l.getKey()).append("=\"").append(escapeLabelValue(l.getValue())).append('"');
            }
            out.append('}');
        }
    }

    String text() {
        return out.toString();
    }

    /** Backslash, double quote and line feed are escaped in label values. */
    static String escapeLabelValue(String v) {
        StringBuilder b = new StringBuilder(v.length() + 8);
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '"' -> b.append("\\\"");
                case '\n' -> b.append("\\n");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** Backslash and line feed are escaped in help texts. */
    static String escapeHelp(String v) {
        return v.replace("\\", "\\\\").replace("\n", "\\n");
    }

    /** Whole numbers without a fraction (exact up to 2^53), others as Java prints them, which Go parses. */
    static String formatValue(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 9.007199254740992E15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }
}
