package org.dqlog.collector.config;

import java.net.InetSocketAddress;

/**
 * The {@code http:} section: where {@code /health} and {@code /metrics} are served.
 *
 * @param enabled whether to serve them at all
 * @param bind    address to listen on; loopback by default, because the endpoints need no login
 * @param port    TCP port; 0 lets the system pick a free one (the collector reports which)
 */
public record HttpConfig(boolean enabled, String bind, int port) {

    public static final boolean DEFAULT_ENABLED = true;
    public static final String DEFAULT_BIND = "127.0.0.1";
    /** {@value}: next to the ports of the usual Prometheus exporters, taken by none of the common ones. */
    public static final int DEFAULT_PORT = 9465;

    public static HttpConfig defaults() {
        return new HttpConfig(DEFAULT_ENABLED, DEFAULT_BIND, DEFAULT_PORT);
    }

    /** The address to bind, resolved now. */
    public InetSocketAddress socketAddress() {
        return new InetSocketAddress(bind, port);
    }
}
