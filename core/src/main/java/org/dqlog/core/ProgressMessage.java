package org.dqlog.core;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A message of the progress topic ({@value Destinations#PROGRESS}): its {@code MsgType}
 * ({@code RunStart}, {@code RunEnd}, {@code WebDisplayIncremental}, ...), its JSON body kept as
 * the exact text the producer sent (each service has its own fields), and optional headers of
 * the producer's own, for selectors ({@code run}, for example).
 *
 * <p>Immutable, so thread-safe.
 */
public final class ProgressMessage {

    public static final String DESTINATION = Destinations.PROGRESS;
    public static final String TYPE_RUN_START = "RunStart";
    public static final String TYPE_RUN_END = "RunEnd";
    public static final String TYPE_WEB_DISPLAY_INCREMENTAL = "WebDisplayIncremental";

    /**
     * Headers the contract or the broker owns; they are not the producer's optional headers, so
     * they are neither taken from a received message nor accepted as extra headers to send.
     */
    private static final Set<String> RESERVED = Collections.unmodifiableSet(new HashSet<>(Arrays.asList(
            MessageHeaders.MSG_CLASS, MessageHeaders.MSG_TYPE, MessageHeaders.PERSISTENT,
            MessageHeaders.CONTENT_TYPE, MessageHeaders.AMQ_MSG_TYPE, MessageHeaders.DESTINATION,
            MessageHeaders.MESSAGE_ID, MessageHeaders.TIMESTAMP, "content-length", "receipt",
            "subscription", "ack", "redelivered", "expires", "priority", "JMSXUserID",
            "original-destination", "transformation")));

    private final String type;
    private final String body;
    private final Map<String, String> headers;

    private ProgressMessage(String type, String body, Map<String, String> headers) {
        if (type == null || type.trim().isEmpty()) {
            throw new IllegalArgumentException("a progress message needs a MsgType");
        }
        this.type = type;
        this.body = Objects.requireNonNull(body, "body");
        this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /** A message of {@code type} with the JSON text {@code body}, sent as it is. */
    public static ProgressMessage of(String type, String body) {
        return new ProgressMessage(type, body, Collections.emptyMap());
    }

    /**
     * Like {@link #of(String, String)} with optional headers of the producer's own.
     *
     * @throws IllegalArgumentException if a header is one the contract or the broker sets
     */
    public static ProgressMessage of(String type, String body, Map<String, String> headers) {
        for (String name : headers.keySet()) {
            if (RESERVED.contains(name)) {
                throw new IllegalArgumentException("header '" + name + "' is set by dqlog or the broker");
            }
        }
        return new ProgressMessage(type, body, headers);
    }

    /**
     * The progress message of a received MESSAGE frame (headers already unescaped). The body is
     * kept as it came, not checked for JSON: the topic belongs to the DQ services, and a listener
     * that wants fields reads them with {@link #field(String)}.
     *
     * @throws MalformedRecordException if there is no {@code MsgType} or the body is not UTF-8
     */
    public static ProgressMessage fromMessage(Map<String, String> headers, byte[] body)
            throws MalformedRecordException {
        String type = headers.get(MessageHeaders.MSG_TYPE);
        if (type == null || type.trim().isEmpty()) {
            throw new MalformedRecordException("progress message without a MsgType header");
        }
        Map<String, String> own = new LinkedHashMap<>();
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (!RESERVED.contains(h.getKey())) {
                own.put(h.getKey(), h.getValue());
            }
        }
        return new ProgressMessage(type, utf8(body), own);
    }

    private static String utf8(byte[] body) throws MalformedRecordException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body == null ? new byte[0] : body)).toString();
        } catch (CharacterCodingException e) {
            throw new MalformedRecordException("progress message body is not UTF-8 text", e);
        }
    }

    /** {@code RunStart}, {@code RunEnd}, ... */
    public String type() {
        return type;
    }

    /** The JSON text, exactly as sent. */
    public String body() {
        return body;
    }

    /** The producer's optional headers (not the contract's or the broker's). */
    public Map<String, String> headers() {
        return headers;
    }

    public byte[] bodyBytes() {
        return body.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The headers of this message's SEND to {@link #DESTINATION}: the contract's ({@code
     * MsgClass}, {@code MsgType}, {@code persistent}, {@code content-type}, {@code amq-msg-type})
     * and then the optional ones; without {@code destination}, {@code receipt} or {@code
     * content-length}, which are the session's.
     */
    public Map<String, String> sendHeaders() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put(MessageHeaders.MSG_CLASS, MessageHeaders.MSG_CLASS_DQ);
        h.put(MessageHeaders.MSG_TYPE, type);
        h.put(MessageHeaders.PERSISTENT, "true");
        h.put(MessageHeaders.CONTENT_TYPE, MessageHeaders.JSON_CONTENT_TYPE);
        h.put(MessageHeaders.AMQ_MSG_TYPE, MessageHeaders.AMQ_TEXT);
        h.putAll(headers);
        return h;
    }

    /**
     * A top-level scalar field of the body as text ({@code field("run")} gives {@code "261222"}),
     * an object or array field as its JSON text; null if the body has no such field.
     *
     * @throws MalformedRecordException if the body is not a JSON object
     */
    public String field(String name) throws MalformedRecordException {
        try (JsonParser p = RecordCodec.JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedRecordException("progress message body is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (!field.equals(name)) {
                    p.skipChildren();
                } else if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                    return RecordCodec.rawJson(p);
                } else {
                    return value == JsonToken.VALUE_NULL ? null : p.getText();
                }
            }
            return null;
        } catch (JsonProcessingException e) {
            throw new MalformedRecordException("progress message body is not valid JSON: "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new MalformedRecordException("progress message body unreadable", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ProgressMessage)) {
            return false;
        }
        ProgressMessage m = (ProgressMessage) o;
        return type.equals(m.type) && body.equals(m.body) && headers.equals(m.headers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, body, headers);
    }

    @Override
    public String toString() {
        return "ProgressMessage[" + type + ", " + body.length() + " chars]";
    }
}
