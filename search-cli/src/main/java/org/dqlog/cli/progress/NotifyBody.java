package org.dqlog.cli.progress;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.dqlog.cli.CliException;

/**
 * The JSON body of {@code dqlog notify TYPE key=value ...}. Typing rule: a value that is a JSON
 * number ({@code 261222}, {@code -1.5e3}) becomes a number, {@code true} and {@code false}
 * booleans; a value in double quotes ({@code run='"007"'}) is the string inside them; anything
 * else is the string as written ({@code 007} is not a JSON number, so it stays {@code "007"}).
 * The body starts with the message's {@code id}, unless the fields give one of their own.
 *
 * <p>Stateless, so thread-safe.
 */
public final class NotifyBody {

    /** The body field (and header) that identifies a message for {@code dqlog listen}'s duplicate filter: {@value}. */
    public static final String ID = "id";

    static final JsonFactory JSON = new JsonFactory();

    /** JSON's number grammar (RFC 8259 section 6): no leading zeros, no '+', no bare '.5'. */
    private static final Pattern NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

    private NotifyBody() { }

    /** The fields of {@code key=value} words, in order, typed by the rule above; a key given twice keeps its last value. */
    public static Map<String, String> fields(List<String> words) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String word : words) {
            int eq = word.indexOf('=');
            if (eq <= 0) {
                throw new CliException("expected key=value, got '" + word + "'");
            }
            fields.put(word.substring(0, eq), word.substring(eq + 1));
        }
        return fields;
    }

    /** The id the fields give ({@code id=...}, as a script that resends with the same id does), or null. */
    public static String idOf(Map<String, String> fields) {
        String id = fields.get(ID);
        return id == null ? null : stringValue(id);
    }

    /** The JSON object text: {@code id} first (unless among the fields), then the fields, typed. */
    public static String json(String id, Map<String, String> fields) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            if (!fields.containsKey(ID)) {
                g.writeStringField(ID, id);
            }
            for (Map.Entry<String, String> f : fields.entrySet()) {
                g.writeFieldName(f.getKey());
                writeTyped(g, f.getValue());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    private static void writeTyped(JsonGenerator g, String value) throws IOException {
        if (NUMBER.matcher(value).matches()) {
            g.writeNumber(value);
        } else if (value.equals("true") || value.equals("false")) {
            g.writeBoolean(Boolean.parseBoolean(value));
        } else {
            g.writeString(stringValue(value));
        }
    }

    /** {@code "text"} (a JSON string literal) is {@code text}; anything else is itself. */
    private static String stringValue(String value) {
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            try (JsonParser p = JSON.createParser(value)) {
                if (p.nextToken() == JsonToken.VALUE_STRING) {
                    String text = p.getText();
                    if (p.nextToken() == null) {
                        return text;
                    }
                }
            } catch (IOException e) {
                // not a valid JSON string literal: taken as written
            }
        }
        return value;
    }

    /**
     * Checks that {@code text} (the body of {@code --json}) is one JSON object and returns its
     * top-level {@code id} if it has a string or number one, else null.
     *
     * @throws CliException saying what is wrong with it
     */
    public static String checkObject(String text) {
        try (JsonParser p = JSON.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new CliException("--json: the body must be a JSON object {...}");
            }
            String id = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals(ID) && (value == JsonToken.VALUE_STRING || value.isNumeric())) {
                    id = p.getText();
                }
                p.skipChildren();
            }
            if (p.nextToken() != null) {
                throw new CliException("--json: text after the JSON object");
            }
            return id;
        } catch (JsonProcessingException e) {
            throw new CliException("--json: not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading a String does not fail
        }
    }
}
