package org.dqlog.core;

/**
 * The line format of the collector's per-host files, the one place that writes and reads it
 * (the collector writes, {@code dqlog search} prints, {@code dqlog reindex} reads):
 *
 * <pre>
 * 2026-11-26T23:59:59.123456Z ERROR host app[pid] [thread] logger - message | ExceptionClass: message&lt;TAB&gt;{"id":...}
 * </pre>
 *
 * <p>The human part before the TAB is for people and {@code grep}; the JSON part after it is the
 * whole record as {@link RecordCodec} encodes it, so a line is lossless (every field, receive time
 * included, reads back). A missing field shows as {@code -}; a panic without a level shows
 * {@code PANIC} in the level column; {@code [pid]} is left out when there is none.
 *
 * <p>A record can never forge a line: in the human part every control character (C0, DEL, C1),
 * the backslash, the TAB, the Unicode line and paragraph separators, lone surrogates and the
 * invisible bidirectional-override and zero-width characters are escaped ({@code \n}, {@code \t},
 * {@code \\}, {@code \u2028}). In the JSON part the same characters can only occur inside JSON
 * strings, where they are written as {@code \}{@code uXXXX} escapes, which JSON reads back as the
 * same characters. So a line holds exactly one raw TAB, the separator, and no line break.
 *
 * <p>Stateless, so thread-safe.
 */
public final class LogLine {

    /** Between the human part and the JSON record; the only raw TAB in a line. */
    public static final char SEPARATOR = '\t';

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private LogLine() { }

    /** The line of a record, without a trailing newline. */
    public static String format(LogRecord record) {
        StringBuilder b = new StringBuilder(256);
        b.append(record.ts() == null ? "-" : Timestamps.format(record.ts())).append(' ');
        b.append(levelColumn(record)).append(' ');
        appendField(b, record.host());
        b.append(' ');
        appendField(b, record.app());
        if (record.pid() != null) {
            b.append('[').append(record.pid()).append(']');
        }
        b.append(" [");
        appendField(b, record.thread());
        b.append("] ");
        appendField(b, record.logger());
        b.append(" - ");
        if (record.message() != null) {
            escapeHuman(b, record.message());
        }
        ExceptionInfo exception = record.exception();
        if (exception != null) {
            b.append(" | ");
            escapeHuman(b, exception.className());
            if (exception.message() != null) {
                b.append(": ");
                escapeHuman(b, exception.message());
            }
        }
        b.append(SEPARATOR);
        appendJsonSafe(b, RecordCodec.encodeToString(record));
        return b.toString();
    }

    /**
     * The record of a line (a trailing {@code \n} or {@code \r\n} is allowed).
     *
     * @throws MalformedRecordException when the line is damaged: no separator, or no record after it
     */
    public static LogRecord parse(String line) throws MalformedRecordException {
        String json = jsonPart(line);
        if (json == null) {
            throw new MalformedRecordException("damaged log line: no TAB between the human part"
                    + " and the JSON record: '" + Timestamps.abbreviate(line) + "'");
        }
        try {
            return RecordCodec.decode(json);
        } catch (MalformedRecordException e) {
            throw new MalformedRecordException("damaged log line: " + e.getMessage()
                    + ": '" + Timestamps.abbreviate(line) + "'", e);
        }
    }

    /** The human part of a line (everything before the separator), or the whole line if it has none. */
    public static String humanPart(String line) {
        int tab = line.indexOf(SEPARATOR);
        return tab < 0 ? stripNewline(line) : line.substring(0, tab);
    }

    /** The JSON record of a line (everything after the separator), or null if it has none. */
    public static String jsonPart(String line) {
        int tab = line.indexOf(SEPARATOR);
        return tab < 0 ? null : stripNewline(line.substring(tab + 1));
    }

    private static String stripNewline(String s) {
        int end = s.length();
        if (end > 0 && s.charAt(end - 1) == '\n') {
            end--;
        }
        if (end > 0 && s.charAt(end - 1) == '\r') {
            end--;
        }
        return s.substring(0, end);
    }

    private static String levelColumn(LogRecord record) {
        if (record.level() != null) {
            return record.level().name();
        }
        return record.panic() ? "PANIC" : "-";
    }

    private static void appendField(StringBuilder b, String value) {
        if (value == null || value.isEmpty()) {
            b.append('-');
        } else {
            escapeHuman(b, value);
        }
    }

    /** Escapes for the human part: backslash and every character that could break or disguise a line. */
    static void escapeHuman(StringBuilder b, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\': b.append("\\\\"); break;
                case '\n': b.append("\\n"); break;
                case '\r': b.append("\\r"); break;
                case '\t': b.append("\\t"); break;
                default:
                    if (isUnsafe(s, i, c)) {
                        appendUnicodeEscape(b, c);
                    } else {
                        b.append(c);
                    }
            }
        }
    }

    /**
     * Rewrites the unsafe characters of a compact JSON text as JSON escapes. They can only stand
     * inside JSON strings there (structure and numbers are ASCII), where the escape means the
     * same character.
     */
    private static void appendJsonSafe(StringBuilder b, String json) {
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (isUnsafe(json, i, c)) {
                appendUnicodeEscape(b, c);
            } else {
                b.append(c);
            }
        }
    }

    /** C0 and C1 controls, DEL, line/paragraph separators, bidi and zero-width marks, BOM, lone surrogates. */
    private static boolean isUnsafe(String s, int i, char c) {
        if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
            return true;
        }
        if (c < 0x200b) {
            return false;
        }
        if (c <= 0x200f || (c >= 0x2028 && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0xfeff) {
            return true;
        }
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
        }
        return false;
    }

    private static void appendUnicodeEscape(StringBuilder b, char c) {
        b.append("\\u").append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf])
                .append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
    }
}
