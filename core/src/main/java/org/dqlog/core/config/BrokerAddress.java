package org.dqlog.core.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One STOMP broker: {@code tcp://host:port} or {@code ssl://host:port}, optionally pinned to one
 * resolved IP address. The host name stays what the user wrote even when an address is pinned,
 * because TLS verifies the certificate against that name.
 *
 * <p>Immutable and thread-safe.
 */
public final class BrokerAddress {

    public static final int DEFAULT_TCP_PORT = 61613;
    public static final int DEFAULT_SSL_PORT = 61614;

    /** Transport of a broker URI. */
    public enum Scheme {
        TCP("tcp", DEFAULT_TCP_PORT), SSL("ssl", DEFAULT_SSL_PORT);

        private final String text;
        private final int defaultPort;

        Scheme(String text, int defaultPort) {
            this.text = text;
            this.defaultPort = defaultPort;
        }

        public String text() {
            return text;
        }

        public int defaultPort() {
            return defaultPort;
        }
    }

    private final Scheme scheme;
    private final String host;
    private final int port;
    private final InetAddress resolved;

    private BrokerAddress(Scheme scheme, String host, int port, InetAddress resolved) {
        this.scheme = Objects.requireNonNull(scheme, "scheme");
        this.host = Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range 1..65535: " + port);
        }
        this.port = port;
        this.resolved = resolved;
    }

    public static BrokerAddress of(Scheme scheme, String host, int port) {
        return new BrokerAddress(scheme, host, port, null);
    }

    /**
     * Parses {@code tcp://host[:port]} or {@code ssl://host[:port]}; a bare {@code host[:port]}
     * means tcp. IPv6 literals go in brackets ({@code tcp://[::1]:61613}).
     *
     * @throws IllegalArgumentException naming the URI when it is not one of those forms
     */
    public static BrokerAddress parse(String uri) {
        if (uri == null || uri.trim().isEmpty()) {
            throw new IllegalArgumentException("empty broker URI; expected tcp://host:port or ssl://host:port");
        }
        String text = uri.trim();
        String shown = redactUserInfo(text);
        String withScheme = text.contains("://") ? text : "tcp://" + text;
        URI parsed;
        try {
            parsed = new URI(withScheme);
        } catch (URISyntaxException e) {
            throw bad(shown, "not a URI");
        }
        String schemeText = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
        Scheme scheme;
        if (schemeText.equals("tcp")) {
            scheme = Scheme.TCP;
        } else if (schemeText.equals("ssl")) {
            scheme = Scheme.SSL;
        } else {
            throw bad(shown, "scheme must be tcp or ssl");
        }
        if (parsed.getRawUserInfo() != null) {
            throw bad(shown, "credentials do not belong in the URI; use the login and passcode settings");
        }
        if (parsed.getHost() == null) {
            throw bad(shown, "no host");
        }
        String path = parsed.getRawPath();
        if ((path != null && !path.isEmpty() && !path.equals("/")) || parsed.getRawQuery() != null
                || parsed.getRawFragment() != null) {
            throw bad(shown, "only scheme, host and port are allowed");
        }
        String host = parsed.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = parsed.getPort() == -1 ? scheme.defaultPort() : parsed.getPort();
        if (port < 1 || port > 65535) {
            throw bad(shown, "port out of range 1..65535");
        }
        return new BrokerAddress(scheme, host, port, null);
    }

    /**
     * Parses a comma-separated list such as {@code tcp://h1:61613,ssl://h2:61614}; blank entries
     * are skipped. Returns an empty list for null or blank input.
     */
    public static List<BrokerAddress> parseList(String commaSeparated) {
        List<BrokerAddress> result = new ArrayList<>();
        if (commaSeparated == null) {
            return result;
        }
        for (String part : commaSeparated.split(",")) {
            if (!part.trim().isEmpty()) {
                result.add(parse(part));
            }
        }
        return Collections.unmodifiableList(result);
    }

    /** The same broker pinned to one IP address of its host name. */
    public BrokerAddress withResolved(InetAddress address) {
        return new BrokerAddress(scheme, host, port, Objects.requireNonNull(address, "address"));
    }

    public Scheme scheme() {
        return scheme;
    }

    public boolean isTls() {
        return scheme == Scheme.SSL;
    }

    /** The host as configured (a name or an IP literal); TLS verifies the certificate against it. */
    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** The pinned IP address, or null when the host is resolved at connect time. */
    public InetAddress resolved() {
        return resolved;
    }

    /** Where to connect: the pinned address if there is one, otherwise the host name (resolved now). */
    public InetSocketAddress socketAddress() {
        return resolved != null ? new InetSocketAddress(resolved, port) : new InetSocketAddress(host, port);
    }

    /** {@code scheme://host:port}, as configured (without the pinned address). */
    public String uri() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return scheme.text() + "://" + h + ":" + port;
    }

    /** The URI, followed by the pinned address when it differs from the host: {@code tcp://mq:61613 (10.0.0.7)}. */
    @Override
    public String toString() {
        if (resolved == null || resolved.getHostAddress().equals(host)) {
            return uri();
        }
        return uri() + " (" + resolved.getHostAddress() + ")";
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof BrokerAddress)) {
            return false;
        }
        BrokerAddress other = (BrokerAddress) o;
        return scheme == other.scheme && port == other.port && host.equals(other.host)
                && Objects.equals(resolved, other.resolved);
    }

    @Override
    public int hashCode() {
        return Objects.hash(scheme, host, port, resolved);
    }

    private static IllegalArgumentException bad(String shownUri, String reason) {
        return new IllegalArgumentException("bad broker URI '" + shownUri + "': " + reason
                + " (expected tcp://host:port or ssl://host:port)");
    }

    /** A URI such as tcp://user:secret@h must not carry its secret into an exception text. */
    private static String redactUserInfo(String text) {
        int at = text.lastIndexOf('@');
        if (at < 0) {
            return text;
        }
        int start = text.indexOf("://");
        start = start < 0 ? 0 : start + 3;
        return at >= start ? text.substring(0, start) + "***" + text.substring(at) : text;
    }
}
