package org.dqlog.core.stomp;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One STOMP 1.2 frame: a command, headers in wire order and a body. When a header repeats on the
 * wire only the first occurrence counts (STOMP 1.2), so headers are a map in first-seen order.
 *
 * <p>Immutable and thread-safe, with one exception for speed: {@link #body()} returns the array
 * itself, which callers must not modify. {@link #toString()} shows header names only, because a
 * CONNECT frame carries the passcode.
 */
public final class Frame {

    public static final String CONNECT = "CONNECT";
    public static final String STOMP = "STOMP";
    public static final String CONNECTED = "CONNECTED";
    public static final String SEND = "SEND";
    public static final String SUBSCRIBE = "SUBSCRIBE";
    public static final String UNSUBSCRIBE = "UNSUBSCRIBE";
    public static final String ACK = "ACK";
    public static final String NACK = "NACK";
    public static final String DISCONNECT = "DISCONNECT";
    public static final String MESSAGE = "MESSAGE";
    public static final String RECEIPT = "RECEIPT";
    public static final String ERROR = "ERROR";

    private static final byte[] EMPTY = new byte[0];

    private final String command;
    private final Map<String, String> headers;
    private final byte[] body;
    private final FrameDamage damage;

    /**
     * @param headers copied; iteration order is wire order
     * @param body not copied (null means empty); must not be modified afterwards
     */
    public Frame(String command, Map<String, String> headers, byte[] body) {
        this(command, headers, body, null);
    }

    /** A frame read past its damage (see {@link FrameDamage}); {@code body} is what was kept of it. */
    public Frame(String command, Map<String, String> headers, byte[] body, FrameDamage damage) {
        this.command = Objects.requireNonNull(command, "command");
        this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        this.body = body == null ? EMPTY : body;
        this.damage = damage;
    }

    public Frame(String command, Map<String, String> headers) {
        this(command, headers, EMPTY);
    }

    public String command() {
        return command;
    }

    /** Header value (first occurrence on the wire), or null. */
    public String header(String name) {
        return headers.get(name);
    }

    /** All headers in wire order; unmodifiable. */
    public Map<String, String> headers() {
        return headers;
    }

    /** The body bytes; do not modify. Empty, never null. */
    public byte[] body() {
        return body;
    }

    /** Null for a frame read whole; else why its body is not what was sent. */
    public FrameDamage damage() {
        return damage;
    }

    public String bodyAsString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return command + headers.keySet() + " " + body.length + " bytes" + (damage == null ? "" : ", " + damage.kind());
    }
}
