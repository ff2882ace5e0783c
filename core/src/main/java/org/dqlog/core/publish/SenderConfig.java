package org.dqlog.core.publish;

import static org.dqlog.core.config.SettingChecks.positive;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.dqlog.core.Destinations;
import org.dqlog.core.MessageHeaders;
import org.dqlog.core.ProcessInfo;
import org.dqlog.core.config.BrokerAddress;
import org.dqlog.core.config.ClientSettings;
import org.dqlog.core.config.Credentials;
import org.dqlog.core.config.TlsSettings;
import org.dqlog.core.spool.BoundedRecordQueue;
import org.dqlog.core.spool.DiskSpool;
import org.dqlog.core.stomp.SessionConfig;

/**
 * Everything an {@link AsyncSender} needs, resolved once. The shared client settings (brokers,
 * login, passcode or passcode file, app, TLS stores) come from, in this order: the value given to
 * the builder (an appender attribute), the system property {@code dqlog.KEY}, the environment
 * variable {@code DQLOG_KEY} (see {@link ClientSettings}); everything else has a {@code DEFAULT_*}
 * below.
 *
 * <p><b>Spool directory.</b> Unless disabled, the sender keeps records it cannot deliver on disk.
 * Without an explicit {@link Builder#spoolDir directory} it uses
 * {@code <java.io.tmpdir>/dqlog-spool-<user>/<app>} ({@link #defaultSpoolDir}), so that a restarted
 * application finds and sends what it left behind. A second process of the same app on the same
 * host finds that directory locked and takes {@code <app>.1}, {@code <app>.2}, ... (up to
 * {@value #MAX_DEFAULT_SPOOL_ALTERNATIVES}); a spool left by a dead process is adopted by the next
 * one that opens it. The temporary directory may be wiped at reboot: set a persistent directory
 * in production.
 *
 * <p>Immutable and thread-safe. {@link #toString()} never shows the passcode.
 */
public final class SenderConfig {

    public static final String DEFAULT_LOGGING_DESTINATION = Destinations.LOGGING;
    public static final String DEFAULT_PANIC_DESTINATION = Destinations.PANIC;
    /** Records held in memory at most: {@value}. */
    public static final int DEFAULT_QUEUE_CAPACITY = BoundedRecordQueue.DEFAULT_CAPACITY;
    /** Body bytes held in memory at most: {@value} (32 MiB). */
    public static final long DEFAULT_QUEUE_MAX_BYTES = BoundedRecordQueue.DEFAULT_MAX_BYTES;
    /** Largest encoded record: {@value} bytes (1 MiB); a larger one has its message and stack cut and is marked truncated. */
    public static final int DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;
    /** Bound of the disk spool: {@value} bytes (256 MiB). */
    public static final long DEFAULT_SPOOL_MAX_BYTES = DiskSpool.DEFAULT_SPOOL_MAX_BYTES;
    /** Records per batch, each batch confirmed by one receipt per destination: {@value}. */
    public static final int DEFAULT_BATCH_MAX_RECORDS = 100;
    /** Body bytes per batch (a single larger record still goes alone): {@value} (4 MiB). */
    public static final long DEFAULT_BATCH_MAX_BYTES = 4L * 1024 * 1024;
    /** How long {@link AsyncSender#close()} tries to deliver what is queued before it spools the rest: 5 s. */
    /**
     * Batches (messages to the broker, each with its receipt) a sender keeps in flight before it
     * waits for the oldest receipt: {@value}. Measured with {@code BrokerThroughput} (see
     * docs/performance.md): the gain flattens out at 4 on one broker.
     */
    public static final int DEFAULT_WINDOW = 4;
    /**
     * How long a sender stays with one broker before it drains its window and picks a broker at
     * random again (jittered by up to half), so that producers spread over brokers that came back.
     */
    public static final Duration DEFAULT_REBALANCE_INTERVAL = Duration.ofSeconds(60);
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);
    /** First delay between rounds of connection attempts: 1 s. */
    public static final Duration DEFAULT_RECONNECT_DELAY_MIN = Duration.ofSeconds(1);
    /** Largest delay between rounds of connection attempts: 30 s. */
    public static final Duration DEFAULT_RECONNECT_DELAY_MAX = Duration.ofSeconds(30);
    /** Least time between two records about dropped records while a broker is reachable: 30 s. */
    public static final Duration DEFAULT_DROP_REPORT_INTERVAL = Duration.ofSeconds(30);
    /** How often the spool is forced to the device (a crash of the host can lose this much): 1 s. */
    public static final Duration DEFAULT_SPOOL_SYNC_INTERVAL = Duration.ofSeconds(1);
    /** Least delay between two connection rounds after a broker refused the login: 60 s. */
    public static final Duration DEFAULT_LOGIN_RETRY_DELAY = Duration.ofSeconds(60);
    /** Least time between two status reports of one kind (outage, failover, failed submits): 1 min. */
    public static final Duration DEFAULT_STATUS_INTERVAL = ThrottledStatus.DEFAULT_INTERVAL;
    /** Logger of the WARN record that tells the central log how many records were dropped. */
    public static final String DROPPED_RECORDS_LOGGER = "org.dqlog.dropped";
    /** Other directories tried when the default spool directory is locked by another process: {@value}. */
    public static final int MAX_DEFAULT_SPOOL_ALTERNATIVES = 9;

    /** Headers the contract, the session or the broker set; extra headers may not replace them. */
    static final Set<String> RESERVED_HEADERS = Collections.unmodifiableSet(new HashSet<>(Arrays.asList(
            MessageHeaders.MSG_CLASS, MessageHeaders.MSG_TYPE, MessageHeaders.PERSISTENT, MessageHeaders.CONTENT_TYPE,
            MessageHeaders.AMQ_MSG_TYPE, MessageHeaders.HOST, MessageHeaders.APP, MessageHeaders.LEVEL,
            MessageHeaders.DESTINATION, MessageHeaders.MESSAGE_ID, MessageHeaders.TIMESTAMP, "content-length",
            "receipt", "transaction", "expires", "priority", "JMSXUserID")));

    private final List<BrokerAddress> brokers;
    private final Credentials credentials;
    private final TlsSettings tls;
    private final String app;
    private final String host;
    private final String loggingDestination;
    private final String panicDestination;
    private final int queueCapacity;
    private final long queueMaxBytes;
    private final int maxRecordBytes;
    private final Path spoolDir;
    private final boolean spoolDirExplicit;
    private final long spoolMaxBytes;
    private final int batchMaxRecords;
    private final long batchMaxBytes;
    private final Duration shutdownTimeout;
    private final Map<String, String> extraHeaders;
    private final SessionConfig sessionConfig;
    private final Duration roundTimeout;
    private final Duration reconnectDelayMin;
    private final Duration reconnectDelayMax;
    private final Duration dropReportInterval;
    private final Duration spoolSyncInterval;
    private final Duration loginRetryDelay;
    private final Duration statusInterval;
    private final boolean randomStart;
    private final boolean batching;
    private final int window;
    private final Duration rebalanceInterval;

    private SenderConfig(Builder b) {
        ClientSettings settings = b.settings != null ? b.settings : ClientSettings.fromSystem();
        for (Map.Entry<String, String> explicit : b.explicit.entrySet()) {
            settings = settings.withExplicit(explicit.getKey(), explicit.getValue());
        }
        this.brokers = settings.brokers();
        if (brokers.isEmpty()) {
            throw new IllegalArgumentException("no brokers configured: set the brokers setting (appender attribute"
                    + " 'brokers', system property " + ClientSettings.propertyName(ClientSettings.BROKERS)
                    + " or environment variable " + ClientSettings.environmentName(ClientSettings.BROKERS)
                    + "), e.g. tcp://host:61613,tcp://host2:61613");
        }
        this.credentials = settings.credentials();
        this.tls = settings.tls();
        this.app = settings.app() != null ? settings.app().trim() : ProcessInfo.defaultAppName();
        this.host = b.host != null && !b.host.trim().isEmpty() ? b.host.trim() : ProcessInfo.hostName();
        this.loggingDestination = destination("loggingDestination", b.loggingDestination);
        this.panicDestination = destination("panicDestination", b.panicDestination);
        this.queueCapacity = (int) atLeast("queueCapacity", b.queueCapacity, 1);
        this.queueMaxBytes = atLeast("queueMaxBytes", b.queueMaxBytes, 1);
        this.maxRecordBytes = (int) atLeast("maxRecordBytes", b.maxRecordBytes, 1);
        if (maxRecordBytes > queueMaxBytes) {
            throw new IllegalArgumentException("maxRecordBytes (" + maxRecordBytes + ") must not exceed queueMaxBytes ("
                    + queueMaxBytes + "): the queue would drop every record of the maximum size");
        }
        this.spoolMaxBytes = atLeast("spoolMaxBytes", b.spoolMaxBytes, 1);
        this.spoolDirExplicit = b.spoolDir != null;
        this.spoolDir = !b.spoolEnabled ? null : b.spoolDir != null ? b.spoolDir : defaultSpoolDir(app);
        this.batchMaxRecords = (int) atLeast("batchMaxRecords", b.batchMaxRecords, 1);
        this.batchMaxBytes = atLeast("batchMaxBytes", b.batchMaxBytes, 1);
        this.shutdownTimeout = positive("shutdownTimeout", b.shutdownTimeout);
        this.extraHeaders = extraHeaders(b.extraHeaders);
        SessionConfig.Builder session = SessionConfig.builder().credentials(credentials).tls(tls);
        if (b.connectTimeout != null) {
            session.connectTimeout(b.connectTimeout);
        }
        if (b.heartbeat != null) {
            session.heartbeat(b.heartbeat);
        }
        if (b.sendTimeout != null) {
            session.sendTimeout(b.sendTimeout);
        }
        if (b.receiptTimeout != null) {
            session.receiptTimeout(b.receiptTimeout);
        }
        if (b.disconnectTimeout != null) {
            session.disconnectTimeout(b.disconnectTimeout);
        }
        this.sessionConfig = session.build();
        this.roundTimeout = positive("roundTimeout", b.roundTimeout);
        this.reconnectDelayMin = positive("reconnectDelayMin", b.reconnectDelayMin);
        this.reconnectDelayMax = positive("reconnectDelayMax", b.reconnectDelayMax);
        if (reconnectDelayMax.compareTo(reconnectDelayMin) < 0) {
            throw new IllegalArgumentException("reconnectDelayMax (" + reconnectDelayMax
                    + ") must not be shorter than reconnectDelayMin (" + reconnectDelayMin + ")");
        }
        this.dropReportInterval = positive("dropReportInterval", b.dropReportInterval);
        this.spoolSyncInterval = positive("spoolSyncInterval", b.spoolSyncInterval);
        this.loginRetryDelay = positive("loginRetryDelay", b.loginRetryDelay);
        this.statusInterval = Objects.requireNonNull(b.statusInterval, "statusInterval");
        this.randomStart = b.randomStart;
        this.batching = b.batching;
        this.window = (int) atLeast("window", b.window, 1);
        this.rebalanceInterval = positive("rebalanceInterval", b.rebalanceInterval);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@code <java.io.tmpdir>/dqlog-spool-<user.name>/<app>}, with characters other than letters,
     * digits, {@code . _ -} replaced by {@code _}.
     */
    public static Path defaultSpoolDir(String app) {
        String user = System.getProperty("user.name", "user");
        return Paths.get(System.getProperty("java.io.tmpdir"), "dqlog-spool-" + safeName(user)).resolve(safeName(app));
    }

    static String safeName(String text) {
        String safe = text == null ? "" : text.replaceAll("[^A-Za-z0-9._-]", "_");
        return safe.isEmpty() || safe.startsWith(".") ? "_" + safe : safe;
    }

    /** The brokers, as configured (names not yet expanded). */
    public List<BrokerAddress> brokers() {
        return brokers;
    }

    public Credentials credentials() {
        return credentials;
    }

    public TlsSettings tls() {
        return tls;
    }

    /** Application name of the records (filled in where a record has none) and of the sender thread. */
    public String app() {
        return app;
    }

    /** Host name of the records (filled in where a record has none). */
    public String host() {
        return host;
    }

    public String loggingDestination() {
        return loggingDestination;
    }

    public String panicDestination() {
        return panicDestination;
    }

    public int queueCapacity() {
        return queueCapacity;
    }

    public long queueMaxBytes() {
        return queueMaxBytes;
    }

    public int maxRecordBytes() {
        return maxRecordBytes;
    }

    /** The spool directory, or null when spooling is disabled. */
    public Path spoolDir() {
        return spoolDir;
    }

    /** True if the spool directory was given; false when it is the default (which may move to {@code <app>.N} when locked). */
    public boolean isSpoolDirExplicit() {
        return spoolDirExplicit;
    }

    public long spoolMaxBytes() {
        return spoolMaxBytes;
    }

    public int batchMaxRecords() {
        return batchMaxRecords;
    }

    public long batchMaxBytes() {
        return batchMaxBytes;
    }

    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    /** Static headers added to every SEND; unmodifiable. */
    public Map<String, String> extraHeaders() {
        return extraHeaders;
    }

    /** Credentials, TLS, heart-beat and timeouts of each broker connection. */
    public SessionConfig sessionConfig() {
        return sessionConfig;
    }

    public Duration roundTimeout() {
        return roundTimeout;
    }

    public Duration reconnectDelayMin() {
        return reconnectDelayMin;
    }

    public Duration reconnectDelayMax() {
        return reconnectDelayMax;
    }

    public Duration dropReportInterval() {
        return dropReportInterval;
    }

    /** How often the spool is forced to the device; a crash of the host can lose what was spooled in the last interval. */
    public Duration spoolSyncInterval() {
        return spoolSyncInterval;
    }

    /** Least delay between connection rounds while the brokers refuse the login (a wrong passcode does not fix itself). */
    public Duration loginRetryDelay() {
        return loginRetryDelay;
    }

    public Duration statusInterval() {
        return statusInterval;
    }

    public boolean randomStart() {
        return randomStart;
    }

    /**
     * True (default): several records waiting travel as one {@code MsgType:LogBatch} message;
     * false: one message per record, for a fleet whose collectors do not read batches yet.
     */
    public boolean batching() {
        return batching;
    }

    /** Batches in flight (sent, receipt not yet back) before the sender waits; see {@link #DEFAULT_WINDOW}. */
    public int window() {
        return window;
    }

    /** See {@link #DEFAULT_REBALANCE_INTERVAL}. */
    public Duration rebalanceInterval() {
        return rebalanceInterval;
    }

    @Override
    public String toString() {
        return "SenderConfig[brokers=" + brokers + ", " + credentials + ", " + tls + ", app=" + app + ", host=" + host
                + ", loggingDestination=" + loggingDestination + ", panicDestination=" + panicDestination
                + ", queueCapacity=" + queueCapacity + ", queueMaxBytes=" + queueMaxBytes + ", maxRecordBytes="
                + maxRecordBytes + ", spoolDir=" + (spoolDir == null ? "none" : spoolDir) + ", spoolMaxBytes="
                + spoolMaxBytes + ", batchMaxRecords=" + batchMaxRecords + ", batching=" + batching + ", window=" + window
                + ", shutdownTimeout=" + shutdownTimeout
                + ", extraHeaders=" + extraHeaders.keySet() + ", heartbeat=" + sessionConfig.heartbeat() + "]";
    }

    private static String destination(String name, String value) {
        if (value == null || value.trim().isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        return value.trim();
    }

    private static Map<String, String> extraHeaders(Map<String, String> given) {
        Map<String, String> copy = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : given.entrySet()) {
            String name = e.getKey();
            if (name == null || name.trim().isEmpty() || e.getValue() == null) {
                throw new IllegalArgumentException("extra header with an empty name or value");
            }
            if (RESERVED_HEADERS.contains(name) || RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("extra header '" + name + "' is set by dqlog, the session or the broker");
            }
            copy.put(name, e.getValue());
        }
        return Collections.unmodifiableMap(copy);
    }

    private static long atLeast(String name, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", was " + value);
        }
        return value;
    }

    /**
     * Collects the options; null (or blank) leaves a setting to the system property, the environment
     * or the default. Not thread-safe.
     */
    public static final class Builder {
        private ClientSettings settings;
        private final Map<String, String> explicit = new LinkedHashMap<>();
        private String host;
        private String loggingDestination = DEFAULT_LOGGING_DESTINATION;
        private String panicDestination = DEFAULT_PANIC_DESTINATION;
        private long queueCapacity = DEFAULT_QUEUE_CAPACITY;
        private long queueMaxBytes = DEFAULT_QUEUE_MAX_BYTES;
        private long maxRecordBytes = DEFAULT_MAX_RECORD_BYTES;
        private Path spoolDir;
        private boolean spoolEnabled = true;
        private long spoolMaxBytes = DEFAULT_SPOOL_MAX_BYTES;
        private long batchMaxRecords = DEFAULT_BATCH_MAX_RECORDS;
        private long batchMaxBytes = DEFAULT_BATCH_MAX_BYTES;
        private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
        private final Map<String, String> extraHeaders = new LinkedHashMap<>();
        private Duration connectTimeout;
        private Duration heartbeat;
        private Duration sendTimeout;
        private Duration receiptTimeout;
        private Duration disconnectTimeout;
        private Duration roundTimeout = Publisher.DEFAULT_ROUND_TIMEOUT;
        private Duration reconnectDelayMin = DEFAULT_RECONNECT_DELAY_MIN;
        private Duration reconnectDelayMax = DEFAULT_RECONNECT_DELAY_MAX;
        private Duration dropReportInterval = DEFAULT_DROP_REPORT_INTERVAL;
        private Duration spoolSyncInterval = DEFAULT_SPOOL_SYNC_INTERVAL;
        private Duration loginRetryDelay = DEFAULT_LOGIN_RETRY_DELAY;
        private Duration statusInterval = DEFAULT_STATUS_INTERVAL;
        private boolean randomStart = true;
        private boolean batching = true;
        private long window = DEFAULT_WINDOW;
        private Duration rebalanceInterval = DEFAULT_REBALANCE_INTERVAL;

        private Builder() {
        }

        /** Where unset shared settings come from; default {@link ClientSettings#fromSystem()} at {@link #build()}. */
        public Builder settings(ClientSettings value) {
            this.settings = value;
            return this;
        }

        /** Comma-separated STOMP URIs ({@code tcp://h:61613,ssl://h2:61614}). */
        public Builder brokers(String uris) {
            return explicit(ClientSettings.BROKERS, uris);
        }

        public Builder login(String value) {
            return explicit(ClientSettings.LOGIN, value);
        }

        /** Prefer {@link #passcodeFile}. Never shown in any text. */
        public Builder passcode(String value) {
            return explicit(ClientSettings.PASSCODE, value);
        }

        /** A file holding the passcode (its trailing line break is dropped). */
        public Builder passcodeFile(String path) {
            return explicit(ClientSettings.PASSCODE_FILE, path);
        }

        public Builder trustStore(String path) {
            return explicit(ClientSettings.TRUST_STORE, path);
        }

        public Builder trustStorePassword(String value) {
            return explicit(ClientSettings.TRUST_STORE_PASSWORD, value);
        }

        public Builder trustStoreType(String value) {
            return explicit(ClientSettings.TRUST_STORE_TYPE, value);
        }

        public Builder keyStore(String path) {
            return explicit(ClientSettings.KEY_STORE, path);
        }

        public Builder keyStorePassword(String value) {
            return explicit(ClientSettings.KEY_STORE_PASSWORD, value);
        }

        public Builder keyStoreType(String value) {
            return explicit(ClientSettings.KEY_STORE_TYPE, value);
        }

        /** Application name; default: {@code dqlog.app}, {@code DQLOG_APP}, else {@link ProcessInfo#defaultAppName()}. */
        public Builder app(String value) {
            return explicit(ClientSettings.APP, value);
        }

        /** Host name; default {@link ProcessInfo#hostName()}. */
        public Builder host(String value) {
            this.host = value;
            return this;
        }

        /** Default {@value SenderConfig#DEFAULT_LOGGING_DESTINATION}. */
        public Builder loggingDestination(String value) {
            if (value != null) {
                this.loggingDestination = value;
            }
            return this;
        }

        /** Default {@value SenderConfig#DEFAULT_PANIC_DESTINATION}. */
        public Builder panicDestination(String value) {
            if (value != null) {
                this.panicDestination = value;
            }
            return this;
        }

        /** Default {@value SenderConfig#DEFAULT_QUEUE_CAPACITY}. */
        public Builder queueCapacity(int value) {
            this.queueCapacity = value;
            return this;
        }

        /** Default {@value SenderConfig#DEFAULT_QUEUE_MAX_BYTES}. */
        public Builder queueMaxBytes(long value) {
            this.queueMaxBytes = value;
            return this;
        }

        /** Default {@value SenderConfig#DEFAULT_MAX_RECORD_BYTES}. */
        public Builder maxRecordBytes(int value) {
            this.maxRecordBytes = value;
            return this;
        }

        /** Spool directory; default {@link SenderConfig#defaultSpoolDir}. */
        public Builder spoolDir(Path value) {
            this.spoolDir = value;
            return this;
        }

        /** False: no disk spool; records that cannot be delivered wait in memory only. Default true. */
        public Builder spoolEnabled(boolean value) {
            this.spoolEnabled = value;
            return this;
        }

        /** Default {@value SenderConfig#DEFAULT_SPOOL_MAX_BYTES}. */
        public Builder spoolMaxBytes(long value) {
            this.spoolMaxBytes = value;
            return this;
        }

        /** Default {@value SenderConfig#DEFAULT_BATCH_MAX_RECORDS}. */
        public Builder batchMaxRecords(int value) {
            this.batchMaxRecords = value;
            return this;
        }

        /** Default {@value SenderConfig#DEFAULT_BATCH_MAX_BYTES}. */
        public Builder batchMaxBytes(long value) {
            this.batchMaxBytes = value;
            return this;
        }

        /** Default {@link SenderConfig#DEFAULT_SHUTDOWN_TIMEOUT}. */
        public Builder shutdownTimeout(Duration value) {
            this.shutdownTimeout = value;
            return this;
        }

        /** A static header added to every SEND (for selectors); the contract's headers cannot be replaced. */
        public Builder extraHeader(String name, String value) {
            this.extraHeaders.put(name, value);
            return this;
        }

        public Builder extraHeaders(Map<String, String> values) {
            this.extraHeaders.putAll(values);
            return this;
        }

        /** Default {@link SessionConfig#DEFAULT_CONNECT_TIMEOUT}. */
        public Builder connectTimeout(Duration value) {
            this.connectTimeout = value;
            return this;
        }

        /** Offered both ways; a broker silent for twice this is declared dead. Default {@link SessionConfig#DEFAULT_HEARTBEAT}. */
        public Builder heartbeat(Duration value) {
            this.heartbeat = value;
            return this;
        }

        /** Default {@link SessionConfig#DEFAULT_SEND_TIMEOUT}. */
        public Builder sendTimeout(Duration value) {
            this.sendTimeout = value;
            return this;
        }

        /** Default {@link SessionConfig#DEFAULT_RECEIPT_TIMEOUT}. */
        public Builder receiptTimeout(Duration value) {
            this.receiptTimeout = value;
            return this;
        }

        /** Default {@link SessionConfig#DEFAULT_DISCONNECT_TIMEOUT}. */
        public Builder disconnectTimeout(Duration value) {
            this.disconnectTimeout = value;
            return this;
        }

        /** Longest one round of trying every broker takes; default {@link Publisher#DEFAULT_ROUND_TIMEOUT}. */
        public Builder roundTimeout(Duration value) {
            this.roundTimeout = value;
            return this;
        }

        /** Default {@link SenderConfig#DEFAULT_RECONNECT_DELAY_MIN}. */
        public Builder reconnectDelayMin(Duration value) {
            this.reconnectDelayMin = value;
            return this;
        }

        /** Default {@link SenderConfig#DEFAULT_RECONNECT_DELAY_MAX}. */
        public Builder reconnectDelayMax(Duration value) {
            this.reconnectDelayMax = value;
            return this;
        }

        /** Default {@link SenderConfig#DEFAULT_DROP_REPORT_INTERVAL}. */
        public Builder dropReportInterval(Duration value) {
            this.dropReportInterval = value;
            return this;
        }

        /** Default {@link SenderConfig#DEFAULT_STATUS_INTERVAL}; zero reports everything. */
        /** Default {@link SenderConfig#DEFAULT_SPOOL_SYNC_INTERVAL}. */
        public Builder spoolSyncInterval(Duration value) {
            this.spoolSyncInterval = value;
            return this;
        }

        /** Default {@link SenderConfig#DEFAULT_LOGIN_RETRY_DELAY}. */
        public Builder loginRetryDelay(Duration value) {
            this.loginRetryDelay = value;
            return this;
        }

        public Builder statusInterval(Duration value) {
            this.statusInterval = value;
            return this;
        }

        /** True (default): start at a random broker; false: at the first configured one. */
        public Builder randomStart(boolean value) {
            this.randomStart = value;
            return this;
        }

        /** True (default): several waiting records travel as one {@code LogBatch} message; false: one message per record. */
        public Builder batching(boolean value) {
            this.batching = value;
            return this;
        }

        /** Default {@value SenderConfig#DEFAULT_WINDOW}. */
        public Builder window(int value) {
            this.window = value;
            return this;
        }

        /** Default {@link SenderConfig#DEFAULT_REBALANCE_INTERVAL}. */
        public Builder rebalanceInterval(Duration value) {
            this.rebalanceInterval = value;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the setting when no broker is configured, a value
         *     is out of range, an extra header is reserved or the passcode file cannot be read
         */
        public SenderConfig build() {
            return new SenderConfig(this);
        }

        private Builder explicit(String key, String value) {
            if (value == null || value.trim().isEmpty()) {
                explicit.remove(key);
            } else {
                explicit.put(key, value);
            }
            return this;
        }
    }
}
