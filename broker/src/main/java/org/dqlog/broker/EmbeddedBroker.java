package org.dqlog.broker;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;

import org.apache.activemq.broker.BrokerPlugin;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.SslContext;
import org.apache.activemq.broker.TransportConnector;
import org.apache.activemq.security.AuthenticationUser;
import org.apache.activemq.security.SimpleAuthenticationPlugin;
import org.apache.activemq.store.SharedFileLocker;
import org.apache.activemq.store.kahadb.KahaDBPersistenceAdapter;

/**
 * One ActiveMQ Classic broker with a single STOMP connector and a KahaDB store, for development,
 * tests and {@code ./dqlog up}.
 *
 * <p>Not thread-safe: start and stop it from one thread.
 */
public final class EmbeddedBroker implements AutoCloseable {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 61613;

    /**
     * Heart-beat imposed on clients whose CONNECT names none (STOMP 1.0 clients such as old
     * Python tooling): none, because such a client cannot send heart-beats and would be cut off
     * while idle. Clients that negotiate heart-beats get what they ask for.
     */
    public static final String DEFAULT_HEART_BEAT = "0,0";

    /**
     * How many heart-beat intervals the broker waits for a silent client: generous, because a
     * client may pause for garbage collection on a busy 2-core machine.
     */
    public static final String HEART_BEAT_GRACE_MULTIPLIER = "2.0";

    private long storeLimitBytes;
    private boolean useShutdownHook = true;
    private int openwirePort = -1;
    private URI openwireUri;
    private String user;
    private String passcode;
    private BrokerSecurity security;
    private KeyManager[] tlsKeys;
    private BrokerService service;
    private URI uri;
    private Path dataDir;

    /** Caps the KahaDB store; when it is full the broker refuses sends instead of blocking producers. 0 keeps ActiveMQ's default. */
    public EmbeddedBroker storeLimitBytes(long bytes) {
        this.storeLimitBytes = bytes;
        return this;
    }

    /**
     * Requires every client to log in as {@code user} with {@code passcode} (ActiveMQ's
     * {@link SimpleAuthenticationPlugin}; no authorization rules: a logged-in client may use
     * every destination). Without it, the broker accepts anyone, as a development broker should.
     */
    public EmbeddedBroker credentials(String user, String passcode) {
        this.user = user;
        this.passcode = passcode;
        return this;
    }

    /**
     * Users with groups and per-destination rights (ActiveMQ's authentication and authorization
     * plugins); replaces {@link #credentials}. Tests use it to see a destination refused.
     */
    public EmbeddedBroker security(BrokerSecurity value) {
        this.security = value;
        return this;
    }

    /**
     * Serves STOMP over TLS only ({@code stomp+ssl}), with the key and certificate of {@code keyStore}
     * (PKCS12 or JKS); {@link #start} then returns {@code ssl://HOST:PORT}.
     *
     * @throws IOException naming the file when it cannot be read or the password is wrong
     */
    public EmbeddedBroker tls(Path keyStore, char[] password) throws IOException {
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, password);
            this.tlsKeys = kmf.getKeyManagers();
            return this;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use the key store " + keyStore + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IOException("cannot read the key store " + keyStore + ": " + e.getMessage(), e);
        }
    }

    /**
     * Also listens for OpenWire (ActiveMQ's JMS protocol) on this port (0 = any free port); off by
     * default. Only bench/ uses it, to compare a plain JMS producer with our STOMP publisher on the
     * same broker.
     */
    public EmbeddedBroker openwirePort(int port) {
        this.openwirePort = port;
        return this;
    }

    /**
     * Whether the broker stops itself on JVM shutdown (default true). {@code ./dqlog up} turns it off
     * to stop the collector first and the broker after it, in its own shutdown hook.
     */
    public EmbeddedBroker useShutdownHook(boolean value) {
        this.useShutdownHook = value;
        return this;
    }

    /**
     * Starts the broker and returns the STOMP URI clients use ({@code tcp://HOST:PORT}, with the
     * real port when {@code port} is 0).
     *
     * @throws Exception when the port is taken, the data directory is used by another broker, or the store cannot open
     */
    public URI start(int port, Path dataDir, String host) throws Exception {
        if (service != null) {
            throw new IllegalStateException("already started");
        }
        Path dir = dataDir.toAbsolutePath().normalize();
        Files.createDirectories(dir);

        BrokerService broker = new BrokerService();
        broker.setBrokerName("dqlog");
        broker.setUseJmx(false);
        broker.setUseShutdownHook(useShutdownHook);
        broker.setPersistent(true);
        broker.setDataDirectoryFile(dir.toFile());
        broker.setTmpDataDirectory(dir.resolve("tmp_storage").toFile());
        broker.setSchedulerSupport(false);
        // Advisory messages serve JMS clients and broker networks; STOMP clients never read them.
        broker.setAdvisorySupport(false);
        broker.setPersistenceAdapter(kahaDb(dir.resolve("kahadb").toFile()));
        if (security != null || user != null) {
            // stamp each message with its authenticated sender (JMSXUserID), overwriting what a producer claims
            broker.setPopulateJMSXUserID(true);
            broker.setUseAuthenticatedPrincipalForJMSXUserID(true);
        }
        if (security != null) {
            broker.setPlugins(security.plugins());
        } else if (user != null) {
            SimpleAuthenticationPlugin authentication = new SimpleAuthenticationPlugin(
                    List.of(new AuthenticationUser(user, passcode, "users")));
            authentication.setAnonymousAccessAllowed(false);
            broker.setPlugins(new BrokerPlugin[] {authentication});
        }
        // A full store answers a send with an ERROR frame; producers then fail over or spool
        // instead of hanging on a broker that waits for space.
        broker.getSystemUsage().setSendFailIfNoSpace(true);
        if (storeLimitBytes > 0) {
            broker.getSystemUsage().getStoreUsage().setLimit(storeLimitBytes);
        } else {
            // ActiveMQ's defaults (100 GB store, 50 GB temporary) exceed most laptops' free space; it
            // then warns on every start and shrinks them itself. Size them to the disk here, so that
            // a warning in the broker's log is one worth reading.
            long fitting = fittingLimit(dir);
            if (fitting < broker.getSystemUsage().getStoreUsage().getLimit()) {
                broker.getSystemUsage().getStoreUsage().setLimit(fitting);
            }
            if (fitting < broker.getSystemUsage().getTempUsage().getLimit()) {
                broker.getSystemUsage().getTempUsage().setLimit(fitting);
            }
        }
        // The same for memory: the 1 GB default exceeds a small heap, and ActiveMQ would warn and
        // take 70 % of the heap; take that share here, without the warning.
        long heapShare = Runtime.getRuntime().maxMemory() / 10 * 7;
        if (heapShare < broker.getSystemUsage().getMemoryUsage().getLimit()) {
            broker.getSystemUsage().getMemoryUsage().setLimit(heapShare);
        }

        if (tlsKeys != null) {
            broker.setSslContext(new SslContext(tlsKeys, null, null));
        }
        TransportConnector connector = broker.addConnector(new URI((tlsKeys != null ? "stomp+ssl://" : "stomp://")
                + uriHost(host) + ":" + port
                + "?transport.defaultHeartBeat=" + DEFAULT_HEART_BEAT
                + "&transport.hbGracePeriodMultiplier=" + HEART_BEAT_GRACE_MULTIPLIER));
        connector.setName("stomp");
        TransportConnector openwire = null;
        if (openwirePort >= 0) {
            openwire = broker.addConnector(new URI("tcp://" + uriHost(host) + ":" + openwirePort));
            openwire.setName("openwire");
        }

        broker.start();
        if (!broker.waitUntilStarted()) {
            broker.stop();
            throw new IllegalStateException("broker stopped while starting");
        }
        InetSocketAddress bound = connector.getServer().getSocketAddress();
        this.service = broker;
        this.dataDir = dir;
        this.uri = new URI((tlsKeys != null ? "ssl://" : "tcp://") + uriHost(clientAddress(bound.getAddress(), host))
                + ":" + bound.getPort());
        if (openwire != null) {
            InetSocketAddress openwireBound = openwire.getServer().getSocketAddress();
            this.openwireUri = new URI("tcp://" + uriHost(clientAddress(openwireBound.getAddress(), host)) + ":"
                    + openwireBound.getPort());
        }
        return uri;
    }

    private static KahaDBPersistenceAdapter kahaDb(File directory) throws Exception {
        KahaDBPersistenceAdapter kahaDb = new KahaDBPersistenceAdapter();
        kahaDb.setDirectory(directory);
        // Two brokers on one data directory is a mistake; say so at once instead of waiting for the lock forever.
        SharedFileLocker locker = new SharedFileLocker();
        locker.setFailIfLocked(true);
        kahaDb.setLocker(locker);
        return kahaDb;
    }

    /** A wildcard bind is reached through the loopback address by local clients. */
    private static String clientAddress(InetAddress bound, String requestedHost) {
        if (bound == null || bound.isAnyLocalAddress()) {
            return "127.0.0.1";
        }
        return bound.getHostAddress();
    }

    private static String uriHost(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** The STOMP URI returned by {@link #start}; null before it. */
    public URI uri() {
        return uri;
    }

    /** The OpenWire URI ({@code tcp://HOST:PORT}) when {@link #openwirePort} was set; null otherwise. */
    public URI openwireUri() {
        return openwireUri;
    }

    /** The real bound port; -1 before start. */
    public int port() {
        return uri == null ? -1 : uri.getPort();
    }

    /** The absolute data directory; null before start. */
    public Path dataDir() {
        return dataDir;
    }

    /** Blocks until the broker has stopped (by {@link #stop}, the shutdown hook, or a fatal store error). */
    public void awaitStopped() {
        BrokerService broker = service;
        if (broker != null) {
            broker.waitUntilStopped();
        }
    }

    /** Stops the broker and closes its store; idempotent. */
    public void stop() throws Exception {
        BrokerService broker = service;
        if (broker != null) {
            broker.stop();
            broker.waitUntilStopped();
        }
    }

    /** {@link #stop()} for try-with-resources; a failure to stop cleanly becomes an unchecked exception. */
    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException("broker did not stop cleanly", e);
        }
    }

    /** Nine tenths of the free space of the disk under {@code dir} (the store grows; the check is made at start). */
    private static long fittingLimit(Path dir) throws IOException {
        return Files.getFileStore(dir).getUsableSpace() / 10 * 9;
    }
}
