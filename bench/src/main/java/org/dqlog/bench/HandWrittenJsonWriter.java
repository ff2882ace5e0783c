package org.dqlog.bench;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.dqlog.core.LogRecord;
import org.dqlog.core.Timestamps;

/**
 * The alternative to Jackson in the appender jars, for comparison only: a minimal JSON writer for
 * {@link LogRecord} straight into a byte array. It writes the same bytes as
 * {@link org.dqlog.core.RecordCodec#encode} (same fields, same order, the same line-safe escapes
 * of control characters, DEL, C1, U+2028/U+2029 and surrogates), so that the benchmark compares
 * equal work.
 *
 * <p>Not thread-safe: one instance per thread (it reuses its buffer).
 */
public final class HandWrittenJsonWriter {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    private byte[] buf = new byte[1024];
    private int len;
    private boolean first;

    /** The record as one line of UTF-8 JSON. */
    public byte[] encode(LogRecord r) {
        len = 0;
        first = true;
        put('{');
        string("id", r.id());
        string("type", r.type());
        if (r.ts() != null) {
            string("ts", Timestamps.format(r.ts()));
        }
        if (r.rts() != null) {
            string("rts", Timestamps.format(r.rts()));
        }
        string("host", r.host());
        string("app", r.app());
        if (r.pid() != null) {
            name("pid");
            ascii(Long.toString(r.pid()));
        }
        if (r.level() != null) {
            string("level", r.level().name());
        }
        string("logger", r.logger());
        string("thread", r.thread());
        string("message", r.message());
        if (!r.mdc().isEmpty()) {
            name("mdc");
            put('{');
            boolean firstEntry = true;
            for (Map.Entry<String, String> e : r.mdc().entrySet()) {
                if (!firstEntry) {
                    put(',');
                }
                firstEntry = false;
                quoted(String.valueOf(e.getKey()));
                put(':');
                if (e.getValue() == null) {
                    ascii("null");
                } else {
                    quoted(e.getValue());
                }
            }
            put('}');
        }
        if (r.exception() != null) {
            name("exception");
            put('{');
            first = true;
            string("class", r.exception().className());
            string("message", r.exception().message());
            string("stack", r.exception().stackTrace());
            put('}');
            first = false;
        }
        if (r.panic()) {
            name("panic");
            ascii("true");
        }
        if (r.truncated()) {
            name("truncated");
            ascii("true");
        }
        if (r.panic()) {
            string("msg", r.message());
        }
        string("command", r.command());
        if (r.panic() || !r.arguments().isEmpty()) {
            list("arguments", r.arguments());
        }
        if (r.panic() || !r.traceback().isEmpty()) {
            list("traceback", r.traceback());
        }
        string("cwd", r.cwd());
        if (r.time() != null && Double.isFinite(r.time())) {
            name("time");
            ascii(BigDecimal.valueOf(r.time()).toPlainString());
        }
        string("usrtime", r.usrtime());
        put('}');
        return Arrays.copyOf(buf, len);
    }

    private void string(String name, String value) {
        if (value != null) {
            name(name);
            quoted(value);
        }
    }

    private void list(String name, List<String> values) {
        name(name);
        put('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                put(',');
            }
            quoted(values.get(i));
        }
        put(']');
    }

    private void name(String name) {
        if (!first) {
            put(',');
        }
        first = false;
        quoted(name);
        put(':');
    }

    private void quoted(String s) {
        // worst case: 6 bytes per char (\\uXXXX); grow once per string, not per char
        ensure(s.length() * 6 + 2);
        byte[] b = buf;
        int n = len;
        b[n++] = '"';
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7F) {
                    b[n++] = (byte) c;
                } else {
                    n = escapeAscii(b, n, c);
                }
            } else if (c < 0x800) {
                if (c <= 0x9F) {
                    n = unicodeEscape(b, n, c);
                } else {
                    b[n++] = (byte) (0xC0 | (c >> 6));
                    b[n++] = (byte) (0x80 | (c & 0x3F));
                }
            } else if (c == 0x2028 || c == 0x2029 || Character.isSurrogate(c)) {
                // as RecordCodec (Jackson with character escapes): characters beyond the BMP as
                // their two escaped surrogates; a lone surrogate, which has no UTF-8 form, likewise
                n = unicodeEscape(b, n, c);
            } else {
                b[n++] = (byte) (0xE0 | (c >> 12));
                b[n++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[n++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        b[n++] = '"';
        len = n;
    }

    private static int escapeAscii(byte[] b, int n, char c) {
        switch (c) {
            case '"': b[n++] = '\\'; b[n++] = '"'; return n;
            case '\\': b[n++] = '\\'; b[n++] = '\\'; return n;
            case '\n': b[n++] = '\\'; b[n++] = 'n'; return n;
            case '\r': b[n++] = '\\'; b[n++] = 'r'; return n;
            case '\t': b[n++] = '\\'; b[n++] = 't'; return n;
            case '\b': b[n++] = '\\'; b[n++] = 'b'; return n;
            case '\f': b[n++] = '\\'; b[n++] = 'f'; return n;
            default: return unicodeEscape(b, n, c);
        }
    }

    private static int unicodeEscape(byte[] b, int n, char c) {
        b[n++] = '\\';
        b[n++] = 'u';
        b[n++] = HEX[(c >> 12) & 0xF];
        b[n++] = HEX[(c >> 8) & 0xF];
        b[n++] = HEX[(c >> 4) & 0xF];
        b[n++] = HEX[c & 0xF];
        return n;
    }

    private void ascii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            buf[len++] = (byte) s.charAt(i);
        }
    }

    private void put(char c) {
        ensure(1);
        buf[len++] = (byte) c;
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }
}
