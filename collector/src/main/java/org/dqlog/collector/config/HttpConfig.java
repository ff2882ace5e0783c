package org.dqlog.collector.config;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The {@code http:} section: where {@code /health} and {@code /metrics} are served.
 *
 * @param enabled whether to serve them at all
 * @param bind    address to listen on; loopback by default, because the endpoints need no login
 * @param port    TCP port; 0 lets the system pick a free one (the collector reports which)
 * @param stallTimeout {@code /health} fails when messages have waited this long with nothing archived
 */
public record HttpConfig(boolean enabled, String bind, int port, Duration stallTimeout) {

    public static final boolean DEFAULT_ENABLED = true;
    public static final String DEFAULT_BIND = "127.0.0.1";
    /** {@value}: next to the ports of the usual Prometheus exporters, taken by none of the common ones. */
    public static final int DEFAULT_PORT = 9465;
    /** Messages waiting this long with nothing archived make {@code /health} fail: 2 minutes. */
    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofMinutes(2);

    public HttpConfig(boolean enabled, String bind, int port) {
        this(enabled, bind, port, DEFAULT_STALL_TIMEOUT);
    }

    public static HttpConfig defaults() {
        return new HttpConfig(DEFAULT_ENABLED, DEFAULT_BIND, DEFAULT_PORT);
    }

    /** The address to bind, resolved now. */
    public InetSocketAddress socketAddress() {
        return new InetSocketAddress(bind, port);
    }
}
