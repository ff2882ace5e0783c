package org.dqlog.cli.progress;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.dqlog.core.config.ClientSettings;
import org.dqlog.core.subscribe.Delivery;

/**
 * What {@code dqlog listen} passes on of one message: as a JSON line for {@code jq}, or as
 * environment variables and standard input of CMD.
 *
 * <p>Immutable, so thread-safe.
 */
public final class ReceivedMessage {

    /** Prefix of the environment variables of the headers: {@value}. */
    public static final String ENV_PREFIX = "DQLOG_";
    /** Prefix instead of {@link #ENV_PREFIX} for a header whose variable would be one of dqlog's settings: {@value}. */
    public static final String SHADOWED_PREFIX = "DQLOG_HEADER_";
    /** The broker that delivered the message, as a URI: {@value}. */
    public static final String BROKER_VARIABLE = "DQLOG_BROKER";
    /** The id repeats are recognised by: the {@code id} header, else {@code msgid:} and the broker's message-id: {@value}. */
    public static final String ID_VARIABLE = "DQLOG_ID";

    /**
     * dqlog's own settings variables: a header never overrides them in CMD's environment (a
     * message with a header {@code brokers} must not redirect the {@code dqlog} commands CMD runs).
     */
    private static final Set<String> SETTINGS = Set.of(
            env(ClientSettings.BROKERS), env(ClientSettings.LOGIN), env(ClientSettings.PASSCODE),
            env(ClientSettings.PASSCODE_FILE), env(ClientSettings.APP), env(ClientSettings.TRUST_STORE),
            env(ClientSettings.TRUST_STORE_PASSWORD), env(ClientSettings.TRUST_STORE_TYPE),
            env(ClientSettings.KEY_STORE), env(ClientSettings.KEY_STORE_PASSWORD),
            env(ClientSettings.KEY_STORE_TYPE), env(ClientSettings.REDACT), "DQLOG_DATA", "DQLOG_JAVA_OPTS",
            BROKER_VARIABLE, ID_VARIABLE);

    private final String id;
    private final String broker;
    private final Map<String, String> headers;
    private final byte[] body;

    ReceivedMessage(String id, String broker, Map<String, String> headers, byte[] body) {
        this.id = id;
        this.broker = broker;
        this.headers = Map.copyOf(headers);
        this.body = body.clone();
    }

    /** The message of a delivery, identified by its {@code id} header, else by the broker's message-id. */
    public static ReceivedMessage of(Delivery delivery) {
        String id = delivery.header(NotifyBody.ID);
        if (id == null || id.isBlank()) {
            id = "msgid:" + delivery.messageId();
        }
        return new ReceivedMessage(id, delivery.broker().uri(), new LinkedHashMap<>(delivery.headers()), delivery.body());
    }

    private static String env(String key) {
        return ClientSettings.environmentName(key);
    }

    public String id() {
        return id;
    }

    public String type() {
        return headers.get("MsgType");
    }

    public byte[] body() {
        return body.clone();
    }

    /**
     * The environment variables of CMD: each header as {@code DQLOG_} and its name in upper case
     * with every other character than a letter or digit as '_' ({@code MsgType} → {@code
     * DQLOG_MSGTYPE}, {@code message-id} → {@code DQLOG_MESSAGE_ID}), or as {@code DQLOG_HEADER_...}
     * where that would be one of dqlog's settings ({@code app} → {@code DQLOG_HEADER_APP});
     * {@value #BROKER_VARIABLE} and {@value #ID_VARIABLE}.
     */
    public Map<String, String> variables() {
        Map<String, String> vars = new LinkedHashMap<>();
        for (Map.Entry<String, String> h : headers.entrySet()) {
            String suffix = h.getKey().toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
            String name = ENV_PREFIX + suffix;
            vars.put(SETTINGS.contains(name) ? SHADOWED_PREFIX + suffix : name, h.getValue());
        }
        vars.put(BROKER_VARIABLE, broker);
        vars.put(ID_VARIABLE, id);
        return vars;
    }

    /**
     * One line of JSON: {@code {"id":..., "broker":..., "headers":{...}, "body":...}}, the body as
     * the JSON it is, or as a string when it is not JSON.
     */
    public String jsonLine() {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = NotifyBody.JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("id", id);
            g.writeStringField("broker", broker);
            g.writeObjectFieldStart("headers");
            for (Map.Entry<String, String> h : headers.entrySet()) {
                g.writeStringField(h.getKey(), h.getValue());
            }
            g.writeEndObject();
            g.writeFieldName("body");
            String text = new String(body, StandardCharsets.UTF_8);
            if (isOneJsonValue(text)) {
                // a JSON body goes in as it is, on one line: JSON text has its line breaks outside strings only
                g.writeRawValue(text.strip().replaceAll("[\\r\\n]+", " "));
            } else {
                g.writeString(text);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    private static boolean isOneJsonValue(String text) {
        try (JsonParser p = NotifyBody.JSON.createParser(text)) {
            if (p.nextToken() == null) {
                return false;
            }
            p.skipChildren();
            return p.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }
}
