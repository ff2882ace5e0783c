package org.dqlog.core.stomp;

import static org.dqlog.core.config.SettingChecks.positive;

import java.time.Duration;
import java.util.Objects;

import org.dqlog.core.config.Credentials;
import org.dqlog.core.config.TlsSettings;

/**
 * How a {@link StompSession} connects and how long it waits. Every wait is bounded: connecting
 * (TCP, TLS handshake and CONNECTED together), each write, each receipt the caller waits for, and
 * the DISCONNECT at close. The heart-beat is offered both ways; a broker that sends nothing for
 * twice the negotiated interval is declared dead.
 *
 * <p>Immutable and thread-safe.
 */
public final class SessionConfig {

    /** TCP connect, TLS handshake and CONNECTED together: 5 s. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Heart-beat offered both ways: 5 s, so a silent broker is detected after about 10 s. */
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(5);
    /** Longest a single write may block (full TCP window) before the connection is closed: 10 s. */
    public static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofSeconds(10);
    /** Suggested wait for a receipt (the session does not apply it; callers pass it to {@link Receipt#await}): 10 s. */
    public static final Duration DEFAULT_RECEIPT_TIMEOUT = Duration.ofSeconds(10);
    /** Wait for the DISCONNECT receipt at close: 2 s. */
    public static final Duration DEFAULT_DISCONNECT_TIMEOUT = Duration.ofSeconds(2);

    public static final SessionConfig DEFAULTS = builder().build();

    private final Duration connectTimeout;
    private final Duration heartbeat;
    private final Duration sendTimeout;
    private final Duration receiptTimeout;
    private final Duration disconnectTimeout;
    private final int maxFrameBytes;
    private final Credentials credentials;
    private final TlsSettings tls;
    private final String clientId;

    private SessionConfig(Builder b) {
        this.connectTimeout = positive("connectTimeout", b.connectTimeout);
        this.heartbeat = Objects.requireNonNull(b.heartbeat, "heartbeat");
        if (heartbeat.isNegative() || (!heartbeat.isZero() && heartbeat.toMillis() < 1)) {
            throw new IllegalArgumentException("heartbeat must be zero (off) or at least 1 ms: " + heartbeat);
        }
        this.sendTimeout = positive("sendTimeout", b.sendTimeout);
        this.receiptTimeout = positive("receiptTimeout", b.receiptTimeout);
        this.disconnectTimeout = positive("disconnectTimeout", b.disconnectTimeout);
        this.maxFrameBytes = b.maxFrameBytes;
        this.credentials = Objects.requireNonNull(b.credentials, "credentials");
        this.tls = Objects.requireNonNull(b.tls, "tls");
        this.clientId = b.clientId;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these values. */
    public Builder toBuilder() {
        return new Builder().connectTimeout(connectTimeout).heartbeat(heartbeat).sendTimeout(sendTimeout)
                .receiptTimeout(receiptTimeout).disconnectTimeout(disconnectTimeout).maxFrameBytes(maxFrameBytes)
                .credentials(credentials).tls(tls).clientId(clientId);
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** Heart-beat interval offered both ways; zero turns heart-beats off (and with them silent-broker detection). */
    public Duration heartbeat() {
        return heartbeat;
    }

    public Duration sendTimeout() {
        return sendTimeout;
    }

    public Duration receiptTimeout() {
        return receiptTimeout;
    }

    public Duration disconnectTimeout() {
        return disconnectTimeout;
    }

    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    public Credentials credentials() {
        return credentials;
    }

    /**
     * The {@code client-id} sent on CONNECT, or null for none. ActiveMQ keys durable topic
     * subscriptions on it and refuses a second connection with the same one.
     */
    public String clientId() {
        return clientId;
    }

    public TlsSettings tls() {
        return tls;
    }

    @Override
    public String toString() {
        return "SessionConfig[connectTimeout=" + connectTimeout + ", heartbeat=" + heartbeat + ", sendTimeout="
                + sendTimeout + ", receiptTimeout=" + receiptTimeout + ", disconnectTimeout=" + disconnectTimeout
                + ", maxFrameBytes=" + maxFrameBytes + ", " + credentials + ", " + tls
                + (clientId == null ? "" : ", clientId=" + clientId) + "]";
    }

    /** Not thread-safe. */
    public static final class Builder {
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration heartbeat = DEFAULT_HEARTBEAT;
        private Duration sendTimeout = DEFAULT_SEND_TIMEOUT;
        private Duration receiptTimeout = DEFAULT_RECEIPT_TIMEOUT;
        private Duration disconnectTimeout = DEFAULT_DISCONNECT_TIMEOUT;
        private int maxFrameBytes = FrameCodec.DEFAULT_MAX_FRAME_BYTES;
        private Credentials credentials = Credentials.NONE;
        private TlsSettings tls = TlsSettings.DEFAULT;
        private String clientId;

        public Builder connectTimeout(Duration value) {
            this.connectTimeout = value;
            return this;
        }

        public Builder heartbeat(Duration value) {
            this.heartbeat = value;
            return this;
        }

        public Builder sendTimeout(Duration value) {
            this.sendTimeout = value;
            return this;
        }

        public Builder receiptTimeout(Duration value) {
            this.receiptTimeout = value;
            return this;
        }

        public Builder disconnectTimeout(Duration value) {
            this.disconnectTimeout = value;
            return this;
        }

        public Builder maxFrameBytes(int value) {
            this.maxFrameBytes = value;
            return this;
        }

        public Builder credentials(Credentials value) {
            this.credentials = value;
            return this;
        }

        public Builder tls(TlsSettings value) {
            this.tls = value;
            return this;
        }

        /** The {@code client-id} of CONNECT (durable subscriptions); null for none, the default. */
        public Builder clientId(String value) {
            this.clientId = value;
            return this;
        }

        public SessionConfig build() {
            return new SessionConfig(this);
        }
    }
}
