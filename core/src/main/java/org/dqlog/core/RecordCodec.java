package org.dqlog.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON body of a record message (docs/message-format.md): UTF-8, one line, only the fields
 * that are set. Reading is tolerant of what other producers send (the Python tooling above all)
 * and ignores fields it does not know, so that producers can add fields before consumers learn
 * them. This codec reads and writes the body literally; the rules that fill in a missing id,
 * host or time from the message headers live in {@link WireMessages}.
 *
 * <p>Written with Jackson's streaming API only ({@code jackson-core}), which the appenders shade.
 *
 * <p>Stateless, so thread-safe.
 */
public final class RecordCodec {

    /**
     * Longest string value a body may hold, in chars. Jackson's default (20 million) is close to
     * what a broker accepts anyway; named here so the limit is a decision, not an accident.
     */
    public static final int MAX_STRING_CHARS = 64 * 1024 * 1024;

    /** Shared with the other codecs of core; a JsonFactory is thread-safe once configured. */
    static final JsonFactory JSON = new JsonFactoryBuilder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(MAX_STRING_CHARS).build())
            // Python's json.dumps writes NaN/Infinity for such floats; read them rather than reject.
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .characterEscapes(new LineSafeEscapes())
            .build();

    private static final int MAX_REASON_CHARS = 300;

    private RecordCodec() { }

    /** The body of a record: UTF-8 JSON on one line (no raw line break or control character in it). */
    public static byte[] encode(LogRecord record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + sizeHint(record));
        try {
            encodeTo(record, out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot happen: writing to memory", e);
        }
        return out.toByteArray();
    }

    /** {@link #encode} as a String (the same characters, so the same bytes again in UTF-8). */
    public static String encodeToString(LogRecord record) {
        return new String(encode(record), StandardCharsets.UTF_8);
    }

    /** Writes {@link #encode}'s bytes to {@code out}, without a line end; does not close it. */
    public static void encodeTo(LogRecord record, OutputStream out) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            write(g, record);
        }
    }

    private static int sizeHint(LogRecord r) {
        int n = r.message() == null ? 0 : r.message().length();
        if (r.exception() != null) {
            n += r.exception().stackTrace().length();
        }
        return Math.min(n + n / 8, 64 * 1024 * 1024);
    }

    private static void write(JsonGenerator g, LogRecord r) throws IOException {
        g.writeStartObject();
        writeString(g, "id", r.id());
        writeString(g, "type", r.type());
        if (r.ts() != null) {
            g.writeStringField("ts", Timestamps.format(r.ts()));
        }
        if (r.rts() != null) {
            g.writeStringField("rts", Timestamps.format(r.rts()));
        }
        writeString(g, "host", r.host());
        writeString(g, "app", r.app());
        if (r.pid() != null) {
            g.writeNumberField("pid", r.pid().longValue());
        }
        if (r.level() != null) {
            g.writeStringField("level", r.level().name());
        }
        writeString(g, "logger", r.logger());
        writeString(g, "thread", r.thread());
        writeString(g, "message", r.message());
        if (!r.mdc().isEmpty()) {
            g.writeObjectFieldStart("mdc");
            for (Map.Entry<String, String> e : r.mdc().entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                if (e.getValue() == null) {
                    g.writeNull();
                } else {
                    g.writeString(e.getValue());
                }
            }
            g.writeEndObject();
        }
        if (r.exception() != null) {
            g.writeObjectFieldStart("exception");
            g.writeStringField("class", r.exception().className());
            writeString(g, "message", r.exception().message());
            g.writeStringField("stack", r.exception().stackTrace());
            g.writeEndObject();
        }
        if (r.panic()) {
            g.writeBooleanField("panic", true);
        }
        if (r.truncated()) {
            g.writeBooleanField("truncated", true);
        }
        if (r.panic()) {
            // The Python tooling's consumers read a panic's text from "msg".
            writeString(g, "msg", r.message());
        }
        writeString(g, "command", r.command());
        // A panic always carries both lists, as the Python tooling's panics do.
        if (r.panic() || !r.arguments().isEmpty()) {
            writeList(g, "arguments", r.arguments());
        }
        if (r.panic() || !r.traceback().isEmpty()) {
            writeList(g, "traceback", r.traceback());
        }
        writeString(g, "cwd", r.cwd());
        if (r.time() != null && Double.isFinite(r.time())) {
            g.writeFieldName("time");
            g.writeNumber(BigDecimal.valueOf(r.time()));
        }
        writeString(g, "usrtime", r.usrtime());
        g.writeEndObject();
    }

    private static void writeString(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    private static void writeList(JsonGenerator g, String name, List<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }

    /** Reads a body as {@link #encode} writes it, or as another producer wrote it. */
    public static LogRecord decode(String json) throws MalformedRecordException {
        if (json == null) {
            throw new MalformedRecordException("no body: not JSON");
        }
        return decode(json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads a UTF-8 JSON body into a record, literally: absent fields stay null (or empty).
     *
     * @throws MalformedRecordException saying what is wrong: empty, not JSON, truncated, not an
     *     object, a field of the wrong type, an unparseable {@code ts}, an unknown level name
     */
    public static LogRecord decode(byte[] json) throws MalformedRecordException {
        return decodeBody(json).record;
    }

    /** A decoded body, and whether it named its type (LogRecord fills in a default type). */
    static final class Decoded {
        final LogRecord record;
        final boolean hasType;

        Decoded(LogRecord record, boolean hasType) {
            this.record = record;
            this.hasType = hasType;
        }
    }

    static Decoded decodeBody(byte[] json) throws MalformedRecordException {
        if (json == null || json.length == 0) {
            throw new MalformedRecordException("empty body: not JSON");
        }
        try (JsonParser p = JSON.createParser(json)) {
            return readRecord(p);
        } catch (InputCoercionException e) {
            throw new MalformedRecordException(
                    "number out of range: " + limit(e.getOriginalMessage()), e);
        } catch (JsonEOFException e) {
            throw new MalformedRecordException("truncated JSON (" + where(e) + "): "
                    + limit(e.getOriginalMessage()), e);
        } catch (JsonProcessingException e) {
            throw new MalformedRecordException("not valid JSON (" + where(e) + "): "
                    + limit(e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw new MalformedRecordException("unreadable body: " + limit(e.getMessage()), e);
        }
    }

    private static Decoded readRecord(JsonParser p) throws IOException, MalformedRecordException {
        JsonToken t = p.nextToken();
        if (t == null) {
            throw new MalformedRecordException("empty body: not JSON");
        }
        if (t != JsonToken.START_OBJECT) {
            throw new MalformedRecordException("not a JSON object: the body is " + describe(t));
        }
        LogRecord.Builder b = LogRecord.builder();
        String message = null;
        String msg = null;
        boolean hasType = false;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            switch (name) {
                case "id": b.id(readText(p, name)); break;
                case "type": {
                    String type = readText(p, name);
                    hasType = type != null && !type.isEmpty();
                    b.type(hasType ? type : null);
                    break;
                }
                case "ts": b.ts(readTime(p, name)); break;
                case "rts": b.rts(readTime(p, name)); break;
                case "host": b.host(readText(p, name)); break;
                case "app": b.app(readText(p, name)); break;
                case "pid": b.pid(readPid(p)); break;
                case "level": b.level(readLevel(p)); break;
                case "logger": b.logger(readText(p, name)); break;
                case "thread": b.thread(readText(p, name)); break;
                case "message": message = readText(p, name); break;
                case "msg": msg = readText(p, name); break;
                case "mdc": b.mdc(readMdc(p)); break;
                case "exception": b.exception(readException(p)); break;
                case "panic": b.panic(readFlag(p, name)); break;
                case "truncated": b.truncated(readFlag(p, name)); break;
                case "command": b.command(readText(p, name)); break;
                case "arguments": b.arguments(readList(p, name)); break;
                case "traceback": b.traceback(readList(p, name)); break;
                case "cwd": b.cwd(readText(p, name)); break;
                case "time": b.time(readSeconds(p)); break;
                case "usrtime": b.usrtime(readText(p, name)); break;
                default: p.skipChildren(); // forward-compatible: fields of newer producers
            }
        }
        if (p.nextToken() != null) {
            throw new MalformedRecordException("trailing content after the JSON object");
        }
        // The Python tooling sends only "msg"; when both are there, "message" is the record's own.
        b.message(message != null ? message : msg);
        return new Decoded(b.build(), hasType);
    }

    /** A string field; numbers and booleans are taken as their text, null as absent. */
    static String readText(JsonParser p, String field) throws IOException, MalformedRecordException {
        JsonToken t = p.currentToken();
        switch (t) {
            case VALUE_STRING:
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
            case VALUE_TRUE:
            case VALUE_FALSE:
                return p.getText();
            case VALUE_NULL:
                return null;
            default:
                throw wrongType(field, "a string", t);
        }
    }

    private static Instant readTime(JsonParser p, String field) throws IOException, MalformedRecordException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.VALUE_STRING) {
            throw wrongType(field, "an ISO-8601 date-time string", t);
        }
        try {
            return Timestamps.parse(p.getText());
        } catch (DateTimeException e) {
            throw new MalformedRecordException(field + ": " + e.getMessage(), e);
        }
    }

    private static Long readPid(JsonParser p) throws IOException, MalformedRecordException {
        JsonToken t = p.currentToken();
        switch (t) {
            case VALUE_NULL:
                return null;
            case VALUE_NUMBER_INT:
                return p.getLongValue();
            case VALUE_NUMBER_FLOAT: {
                double d = p.getDoubleValue();
                if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                    return (long) d;
                }
                throw new MalformedRecordException("pid: " + p.getText() + " is not a whole number");
            }
            case VALUE_STRING:
                try {
                    return Long.parseLong(p.getText().trim());
                } catch (NumberFormatException e) {
                    throw new MalformedRecordException("pid: '" + Timestamps.abbreviate(p.getText())
                            + "' is not a whole number");
                }
            default:
                throw wrongType("pid", "a number", t);
        }
    }

    private static Level readLevel(JsonParser p) throws IOException, MalformedRecordException {
        String name = readText(p, "level");
        if (name == null) {
            return null;
        }
        Level level = Level.parseOrNull(name);
        if (level == null) {
            throw new MalformedRecordException("level: '" + Timestamps.abbreviate(name)
                    + "' is not a level (TRACE, DEBUG, INFO, WARN/WARNING, ERROR, FATAL/CRITICAL)");
        }
        return level;
    }

    private static Double readSeconds(JsonParser p) throws IOException, MalformedRecordException {
        JsonToken t = p.currentToken();
        double seconds;
        switch (t) {
            case VALUE_NULL:
                return null;
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                seconds = p.getDoubleValue();
                break;
            case VALUE_STRING:
                try {
                    seconds = Double.parseDouble(p.getText().trim());
                } catch (NumberFormatException e) {
                    throw new MalformedRecordException("time: '" + Timestamps.abbreviate(p.getText())
                            + "' is not a number of epoch seconds");
                }
                break;
            default:
                throw wrongType("time", "a number of epoch seconds", t);
        }
        // NaN or Infinity from Python's json: no time at all rather than a poisonous one.
        return Double.isFinite(seconds) ? seconds : null;
    }

    private static boolean readFlag(JsonParser p, String field) throws IOException, MalformedRecordException {
        JsonToken t = p.currentToken();
        switch (t) {
            case VALUE_TRUE: return true;
            case VALUE_FALSE: case VALUE_NULL: return false;
            case VALUE_STRING:
                if ("true".equalsIgnoreCase(p.getText().trim())) {
                    return true;
                }
                if ("false".equalsIgnoreCase(p.getText().trim())) {
                    return false;
                }
                throw new MalformedRecordException(field + ": '" + Timestamps.abbreviate(p.getText())
                        + "' is not true or false");
            default:
                throw wrongType(field, "true or false", t);
        }
    }

    /** MDC values that are JSON objects or arrays (other producers) are kept as their JSON text. */
    private static Map<String, String> readMdc(JsonParser p) throws IOException, MalformedRecordException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return Collections.emptyMap();
        }
        if (t != JsonToken.START_OBJECT) {
            throw wrongType("mdc", "an object", t);
        }
        Map<String, String> mdc = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
                mdc.put(key, rawJson(p));
            } else {
                mdc.put(key, readText(p, "mdc." + key));
            }
        }
        return mdc;
    }

    static String rawJson(JsonParser p) throws IOException {
        StringWriter text = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(text)) {
            g.copyCurrentStructure(p);
        }
        return text.toString();
    }

    private static ExceptionInfo readException(JsonParser p) throws IOException, MalformedRecordException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.START_OBJECT) {
            throw wrongType("exception", "an object {class, message, stack}", t);
        }
        String className = null;
        String message = null;
        String stack = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            switch (name) {
                case "class": className = readText(p, "exception.class"); break;
                case "message": message = readText(p, "exception.message"); break;
                case "stack": stack = readText(p, "exception.stack"); break;
                default: p.skipChildren();
            }
        }
        return new ExceptionInfo(className == null ? "unknown" : className, message, stack);
    }

    /** A list of strings; a single string (as Python's format_exc() returns) is a one-element list. */
    private static List<String> readList(JsonParser p, String field) throws IOException, MalformedRecordException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return Collections.emptyList();
        }
        if (t == JsonToken.VALUE_STRING) {
            return Collections.singletonList(p.getText());
        }
        if (t != JsonToken.START_ARRAY) {
            throw wrongType(field, "a list of strings", t);
        }
        List<String> values = new ArrayList<>();
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            String element = field + "[" + values.size() + "]";
            if (t == JsonToken.VALUE_NULL) {
                throw wrongType(element, "a string", t);
            }
            values.add(readText(p, element));
        }
        return values;
    }

    private static MalformedRecordException wrongType(String field, String expected, JsonToken actual) {
        return new MalformedRecordException(field + ": expected " + expected + ", found " + describe(actual));
    }

    private static String describe(JsonToken t) {
        switch (t) {
            case START_OBJECT: return "an object";
            case START_ARRAY: return "an array";
            case VALUE_STRING: return "a string";
            case VALUE_NUMBER_INT: case VALUE_NUMBER_FLOAT: return "a number";
            case VALUE_TRUE: case VALUE_FALSE: return "a boolean";
            case VALUE_NULL: return "null";
            default: return t.asString() == null ? t.name() : t.asString();
        }
    }

    private static String where(JsonProcessingException e) {
        return e.getLocation() == null ? "unknown position"
                : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    }

    private static String limit(String reason) {
        if (reason == null) {
            return "no detail";
        }
        return reason.length() <= MAX_REASON_CHARS ? reason : reason.substring(0, MAX_REASON_CHARS) + "...";
    }

    /**
     * Besides JSON's own escapes (every control character below U+0020), escapes DEL, the C1
     * controls (U+0080-U+009F, NEL among them) and U+2028/U+2029: characters that some line
     * splitters (Python's str.splitlines, JavaScript) or terminals treat as line breaks or
     * commands. A body stays one line for every reader, and a log line cannot be forged.
     */
    private static final class LineSafeEscapes extends CharacterEscapes {
        private static final long serialVersionUID = 1L;
        private final int[] ascii;

        LineSafeEscapes() {
            ascii = standardAsciiEscapesForJSON();
            ascii[0x7F] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            if ((ch >= 0x80 && ch <= 0x9F) || ch == 0x2028 || ch == 0x2029) {
                return new SerializedString(String.format("\\u%04X", ch));
            }
            return null;
        }
    }
}
