package org.dqlog.collector.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.dqlog.collector.mail.MailSettings;
import org.dqlog.archive.StorageSettings;
import org.dqlog.core.config.BrokerAddress;
import org.dqlog.core.config.BrokerResolver;
import org.dqlog.core.config.Credentials;
import org.dqlog.core.config.TlsSettings;

/**
 * Everything {@code ./dqlog collector --config collector.yaml} is configured with, read from YAML
 * (reference: docs/collector.md). Every key has a default, so an empty file is a valid
 * configuration: one local broker, data under {@code ./dqlog-data}, no mail.
 *
 * <p>Relative paths in the file are read relative to the file's directory. Values the file does
 * not set fall back to the settings every client part shares (DESIGN.md): the system properties
 * {@code dqlog.brokers}, {@code dqlog.login}, {@code dqlog.passcode}, {@code dqlog.passcodeFile},
 * {@code dqlog.trustStore}, ... and then the environment ({@code DQLOG_BROKERS},
 * {@code DQLOG_PASSCODE_FILE}, ...; {@code DQLOG_DATA} for the data directory).
 *
 * <p>Immutable, so thread-safe. {@link #toString()} never shows a passcode or password.
 */
public final class CollectorConfig {

    /** The broker of {@code ./dqlog up} and {@code ./dqlog broker}. */
    public static final String DEFAULT_BROKER = "tcp://127.0.0.1:61613";
    /** Where {@code ./dqlog up} and {@code dqlog search} look by default, in the working directory. */
    public static final String DEFAULT_DATA_DIR = "dqlog-data";
    /** {@value}: at least one batch in flight per broker session. */
    public static final int DEFAULT_PREFETCH = 1000;
    /** 1 MiB: far above a log record with a long stack trace, far below what hurts the heap. */
    public static final long DEFAULT_MAX_MESSAGE_BYTES = 1024L * 1024;
    /** 256 MiB: below this much free space the collector stops acknowledging. */
    public static final long DEFAULT_MIN_FREE_BYTES = 256L * 1024 * 1024;
    /** Sub-directory of the data directory holding the dead-letter files. */
    public static final String DEAD_LETTER_DIR = "deadletter";
    /** Sub-directory of the data directory holding panic mails not yet sent. */
    public static final String MAIL_OUTBOX_DIR = "mail-outbox";

    private final String source;
    private final List<BrokerAddress> brokers;
    private final Credentials credentials;
    private final TlsSettings tls;
    private final DestinationsConfig destinations;
    private final Path dataDir;
    private final BatchConfig batch;
    private final int prefetch;
    private final FilesConfig files;
    private final IndexConfig index;
    private final long maxMessageBytes;
    private final long minFreeBytes;
    private final HttpConfig http;
    private final MailSettings mail;
    private final SecurityConfig security;

    CollectorConfig(String source, List<BrokerAddress> brokers, Credentials credentials, TlsSettings tls,
            DestinationsConfig destinations, Path dataDir, BatchConfig batch, int prefetch, FilesConfig files,
            IndexConfig index, long maxMessageBytes, long minFreeBytes, HttpConfig http, MailSettings mail,
            SecurityConfig security) {
        this.source = source;
        this.brokers = List.copyOf(brokers);
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.tls = Objects.requireNonNull(tls, "tls");
        this.destinations = destinations;
        this.dataDir = dataDir;
        this.batch = batch;
        this.prefetch = prefetch;
        this.files = files;
        this.index = index;
        this.maxMessageBytes = maxMessageBytes;
        this.minFreeBytes = minFreeBytes;
        this.http = http;
        this.mail = mail;
        this.security = security;
    }

    /**
     * Reads {@code file}, with this JVM's system properties and environment as fallbacks.
     *
     * @throws ConfigException naming the file and the key, for any problem
     */
    public static CollectorConfig load(Path file) throws ConfigException {
        return load(file, System.getProperties(), System.getenv());
    }

    /**
     * Reads {@code file}; {@code systemProperties} and {@code environment} stand for the JVM's own
     * (tests pass their own maps).
     *
     * @throws ConfigException naming the file and the key, for any problem
     */
    public static CollectorConfig load(Path file, Map<?, ?> systemProperties, Map<String, String> environment)
            throws ConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(file.toString(), "", "cannot read the configuration file: "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
        Path base = file.toAbsolutePath().getParent();
        return parse(text, file.toString(), base, systemProperties, environment);
    }

    /**
     * Reads YAML text (for {@code ./dqlog up}, which writes its configuration itself).
     *
     * @param source  how errors name the text, e.g. the file name
     * @param baseDir what relative paths are relative to
     * @throws ConfigException naming {@code source} and the key, for any problem
     */
    public static CollectorConfig parse(String yaml, String source, Path baseDir, Map<?, ?> systemProperties,
            Map<String, String> environment) throws ConfigException {
        return new ConfigReader(source, baseDir, systemProperties, environment).read(yaml);
    }

    /** The file (or label) this configuration came from. */
    public String source() { return source; }

    /**
     * The configured brokers, never empty. A name may stand for several brokers: resolve with
     * {@link #brokerResolver()} and open one session per resolved address.
     */
    public List<BrokerAddress> brokers() { return brokers; }

    /** Expands {@link #brokers()} into one address per broker, again at every reconnect. */
    public BrokerResolver brokerResolver() { return new BrokerResolver(brokers); }

    /** Broker login and passcode ({@link Credentials#NONE} when neither is set). */
    public Credentials credentials() { return credentials; }

    /** Trust and key store for {@code ssl://} brokers. */
    public TlsSettings tls() { return tls; }

    public DestinationsConfig destinations() { return destinations; }

    /** Redaction of incoming panics and the modes of the files. */
    public SecurityConfig security() { return security; }

    /** Absolute data directory: {@code logs/}, {@code index/}, {@code deadletter/}, {@code mail-outbox/}. */
    public Path dataDir() { return dataDir; }

    public BatchConfig batch() { return batch; }

    /** Messages a broker may send on one session before they are acknowledged ({@code activemq.prefetchSize}). */
    public int prefetch() { return prefetch; }

    public FilesConfig files() { return files; }

    public IndexConfig index() { return index; }

    /**
     * Largest message body the collector decodes; a larger one goes to the dead-letter file. The
     * STOMP frame limit of the sessions must be larger than this, so that such a message arrives
     * and can be dead-lettered instead of breaking the connection.
     */
    public long maxMessageBytes() { return maxMessageBytes; }

    /** Below this many usable bytes on the data directory's file system the collector stops acknowledging. */
    public long minFreeBytes() { return minFreeBytes; }

    public HttpConfig http() { return http; }

    /** Panic mail settings; empty when the file has no {@code mail:} section or says {@code enabled: false}. */
    public Optional<MailSettings> mail() { return Optional.ofNullable(mail); }

    /** {@code <data>/deadletter}. */
    public Path deadLetterDir() { return dataDir.resolve(DEAD_LETTER_DIR); }

    /** The settings of the archive (per-host files and index) that these settings describe. */
    public StorageSettings storageSettings() {
        return new StorageSettings(dataDir, files.maxFileBytes(), files.maxAge(), files.maxTotalBytes(),
                files.maxOpenFiles(), index.commitInterval(), files.maintenanceInterval(), index.recentIds());
    }

    @Override
    public String toString() {
        return "CollectorConfig[source=" + source + ", brokers=" + brokers + ", " + credentials + ", " + tls
                + ", destinations=" + destinations + ", data=" + dataDir + ", batch=" + batch.maxRecords() + "/"
                + Durations.format(batch.maxDelay()) + ", prefetch=" + prefetch + ", files=" + files + ", index="
                + index + ", maxMessageBytes=" + Sizes.format(maxMessageBytes) + ", minFreeBytes="
                + Sizes.format(minFreeBytes) + ", http=" + http + ", mail=" + (mail == null ? "off" : mail) + "]";
    }
}
