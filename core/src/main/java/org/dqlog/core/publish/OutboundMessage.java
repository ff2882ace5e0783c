package org.dqlog.core.publish;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One SEND for the {@link Publisher}: destination, headers (without {@code destination},
 * {@code receipt} and {@code content-length}, which are the session's) and body.
 *
 * <p>Immutable, so thread-safe, with one exception for speed: the body array is not copied (the
 * two copies of a panic share one), so callers must not modify it after handing it over.
 */
public final class OutboundMessage {

    private final String destination;
    private final Map<String, String> headers;
    private final byte[] body;

    private OutboundMessage(String destination, Map<String, String> headers, byte[] body) {
        this.destination = Objects.requireNonNull(destination, "destination");
        this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(headers, "headers")));
        this.body = Objects.requireNonNull(body, "body");
    }

    /** A message; {@code body} is taken over, not copied, and must not be modified afterwards. */
    public static OutboundMessage of(String destination, Map<String, String> headers, byte[] body) {
        return new OutboundMessage(destination, headers, body);
    }

    public String destination() {
        return destination;
    }

    /** Headers in frame order; unmodifiable. */
    public Map<String, String> headers() {
        return headers;
    }

    /** The body; do not modify. */
    public byte[] body() {
        return body;
    }

    /** Destination, header names and size; never the body, which may hold anything an application logged. */
    @Override
    public String toString() {
        return "OutboundMessage[" + destination + ", " + headers.keySet() + ", " + body.length + " bytes]";
    }
}
