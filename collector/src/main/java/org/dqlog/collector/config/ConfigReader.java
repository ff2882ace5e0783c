package org.dqlog.collector.config;

import static org.dqlog.collector.config.ConfigNode.child;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dqlog.collector.mail.MailSettings;
import org.dqlog.core.Redaction;
import org.dqlog.core.config.BrokerAddress;
import org.dqlog.core.config.ClientSettings;
import org.dqlog.core.config.Credentials;
import org.dqlog.core.config.SecurityWarnings;
import org.dqlog.core.config.TlsSettings;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Turns the YAML text of collector.yaml into a {@link CollectorConfig}, checking every key and
 * value on the way, so that a bad file fails at start with one line naming the key.
 *
 * <p>Not thread-safe; one reader per load.
 */
final class ConfigReader {

    private static final Set<String> ROOT_KEYS = Set.of("brokers", "login", "passcode", "passcodeFile", "tls",
            "destinations", "data", "batch", "prefetch", "files", "index", "maxMessageBytes", "minFreeBytes", "http",
            "mail", "security");
    private static final Set<String> TLS_KEYS = Set.of("trustStore", "trustStorePassword", "trustStoreType",
            "keyStore", "keyStorePassword", "keyStoreType");
    private static final Set<String> DESTINATION_KEYS = Set.of("logging", "panic", "progress", "archiveProgress",
            "selector");
    private static final Set<String> BATCH_KEYS = Set.of("maxRecords", "maxDelay");
    private static final Set<String> FILES_KEYS = Set.of("maxFileBytes", "rotateDaily", "maxAge", "maxTotalBytes",
            "compress", "maxOpenFiles", "maintenanceInterval");
    private static final Set<String> INDEX_KEYS = Set.of("commitInterval", "recentIds");
    private static final Set<String> HTTP_KEYS = Set.of("enabled", "bind", "port", "stallTimeout");
    private static final Set<String> SECURITY_KEYS = Set.of("redactPanics", "redact", "privateFiles", "trustBrokerUser");

    /** The frame limit of a STOMP session is an int; leave room for the headers. */
    static final long MAX_MAX_MESSAGE_BYTES = 512L * 1024 * 1024;
    static final long MIN_MAX_MESSAGE_BYTES = 1024;
    static final long MIN_FILE_BYTES = 4096;

    private final String source;
    private final Path baseDir;
    private final ClientSettings fallback;
    private final Map<String, String> environment;

    ConfigReader(String source, Path baseDir, Map<?, ?> systemProperties, Map<String, String> environment) {
        this.source = source;
        this.baseDir = baseDir == null ? Paths.get("").toAbsolutePath() : baseDir.toAbsolutePath();
        Map<String, String> props = new HashMap<>();
        systemProperties.forEach((k, v) -> {
            if (k instanceof String && v instanceof String && ((String) k).startsWith("dqlog.")) {
                props.put((String) k, (String) v);
            }
        });
        this.environment = Map.copyOf(environment);
        this.fallback = ClientSettings.of(props, this.environment);
    }

    CollectorConfig read(String yamlText) throws ConfigException {
        ConfigNode root = ConfigNode.root(source, parseYaml(yamlText));
        Map<String, ConfigNode> keys = root.mapping(ROOT_KEYS);

        List<BrokerAddress> brokers = brokers(child(keys, root, "brokers"));
        ClientSettings client = fallback;
        ConfigNode login = child(keys, root, "login");
        client = client.withExplicit(ClientSettings.LOGIN, login.string(null));
        ConfigNode passcode = child(keys, root, "passcode");
        ConfigNode passcodeFile = child(keys, root, "passcodeFile");
        if (passcode.isSet() && passcodeFile.isSet()) {
            throw passcodeFile.error("set passcode or passcodeFile, not both");
        }
        client = client.withExplicit(ClientSettings.PASSCODE, passcode.string(null));
        client = client.withExplicit(ClientSettings.PASSCODE_FILE, path(passcodeFile, true));
        Credentials credentials = credentials(client, passcode, passcodeFile);
        TlsSettings tls = tls(client, child(keys, root, "tls"));

        DestinationsConfig destinations = destinations(child(keys, root, "destinations"));
        Path dataDir = dataDir(child(keys, root, "data"));
        BatchConfig batch = batch(child(keys, root, "batch"));
        ConfigNode prefetchNode = child(keys, root, "prefetch");
        int prefetch = prefetchNode.integer(Math.max(CollectorConfig.DEFAULT_PREFETCH, batch.maxRecords()), 1,
                Integer.MAX_VALUE);
        if (prefetch < batch.maxRecords()) {
            throw prefetchNode.error("must be at least batch.maxRecords (" + batch.maxRecords()
                    + "), else every batch waits for batch.maxDelay");
        }
        FilesConfig files = files(child(keys, root, "files"));
        IndexConfig index = index(child(keys, root, "index"));
        ConfigNode maxMessage = child(keys, root, "maxMessageBytes");
        long maxMessageBytes = maxMessage.size(CollectorConfig.DEFAULT_MAX_MESSAGE_BYTES, MIN_MAX_MESSAGE_BYTES);
        if (maxMessageBytes > MAX_MAX_MESSAGE_BYTES) {
            throw maxMessage.error("must be at most " + Sizes.format(MAX_MAX_MESSAGE_BYTES) + ", was " + maxMessage.shown());
        }
        long minFreeBytes = child(keys, root, "minFreeBytes").size(CollectorConfig.DEFAULT_MIN_FREE_BYTES, 0);
        HttpConfig http = http(child(keys, root, "http"));
        MailConfigReader mailReader = new MailConfigReader(baseDir);
        MailSettings mail = mailReader.read(child(keys, root, "mail"), dataDir.resolve(CollectorConfig.MAIL_OUTBOX_DIR));
        List<String> warnings = new ArrayList<>();
        client.passcodeFileWarning().ifPresent(warnings::add);
        SecurityWarnings.plainPasscode(brokers, credentials.passcode() != null).ifPresent(warnings::add);
        warnings.addAll(mailReader.warnings());

        SecurityConfig security = security(child(keys, root, "security"), warnings);

        return new CollectorConfig(source, brokers, credentials, tls, destinations, dataDir, batch, prefetch, files,
                index, maxMessageBytes, minFreeBytes, http, mail, security);
    }

    private Object parseYaml(String text) throws ConfigException {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setAllowRecursiveKeys(false);
        options.setMaxAliasesForCollections(20);
        try {
            return new Yaml(new SafeConstructor(options)).load(text);
        } catch (MarkedYAMLException e) {
            // Only the problem and its position: the snippet YAML quotes could hold a passcode.
            Mark mark = e.getProblemMark();
            String where = mark == null ? "" : "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ": ";
            throw new ConfigException(source, "", where + "not valid YAML: " + e.getProblem());
        } catch (YAMLException e) {
            throw new ConfigException(source, "", "not valid YAML");
        }
    }

    private List<BrokerAddress> brokers(ConfigNode node) throws ConfigException {
        List<BrokerAddress> result = new ArrayList<>();
        for (ConfigNode item : node.list()) {
            result.add(broker(item, item.string(null)));
        }
        if (result.isEmpty()) {
            try {
                result.addAll(fallback.brokers());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(source, "brokers", "from " + ClientSettings.propertyName(ClientSettings.BROKERS)
                        + " or " + ClientSettings.environmentName(ClientSettings.BROKERS) + ": " + e.getMessage());
            }
        }
        if (result.isEmpty()) {
            result.add(BrokerAddress.parse(CollectorConfig.DEFAULT_BROKER));
        }
        return result;
    }

    private static BrokerAddress broker(ConfigNode node, String uri) throws ConfigException {
        try {
            return BrokerAddress.parse(uri);
        } catch (IllegalArgumentException e) {
            throw node.error(e.getMessage());
        }
    }

    private Credentials credentials(ClientSettings client, ConfigNode passcode, ConfigNode passcodeFile)
            throws ConfigException {
        try {
            return client.credentials();
        } catch (IllegalArgumentException e) {
            String key = passcodeFile.isSet() ? passcodeFile.path()
                    : "passcodeFile (from " + ClientSettings.propertyName(ClientSettings.PASSCODE_FILE) + " or "
                    + ClientSettings.environmentName(ClientSettings.PASSCODE_FILE) + ")";
            // ClientSettings names the file and the error class, never the content.
            throw new ConfigException(source, key, e.getMessage());
        }
    }

    private TlsSettings tls(ClientSettings client, ConfigNode node) throws ConfigException {
        Map<String, ConfigNode> keys = node.mapping(TLS_KEYS);
        ClientSettings c = client
                .withExplicit(ClientSettings.TRUST_STORE, path(child(keys, node, "trustStore"), true))
                .withExplicit(ClientSettings.TRUST_STORE_PASSWORD, child(keys, node, "trustStorePassword").string(null))
                .withExplicit(ClientSettings.TRUST_STORE_TYPE, child(keys, node, "trustStoreType").string(null))
                .withExplicit(ClientSettings.KEY_STORE, path(child(keys, node, "keyStore"), true))
                .withExplicit(ClientSettings.KEY_STORE_PASSWORD, child(keys, node, "keyStorePassword").string(null))
                .withExplicit(ClientSettings.KEY_STORE_TYPE, child(keys, node, "keyStoreType").string(null));
        TlsSettings tls = c.tls();
        try {
            tls.check();
        } catch (IllegalArgumentException e) {
            // a store that cannot be read never gets better by retrying: fail at start
            throw new ConfigException(source, "tls", e.getMessage());
        }
        return tls;
    }

    private DestinationsConfig destinations(ConfigNode node) throws ConfigException {
        Map<String, ConfigNode> keys = node.mapping(DESTINATION_KEYS);
        String selector = child(keys, node, "selector").string(null);
        return new DestinationsConfig(
                destination(child(keys, node, "logging"), DestinationsConfig.DEFAULT_LOGGING),
                destination(child(keys, node, "panic"), DestinationsConfig.DEFAULT_PANIC),
                destination(child(keys, node, "progress"), DestinationsConfig.DEFAULT_PROGRESS),
                child(keys, node, "archiveProgress").bool(DestinationsConfig.DEFAULT_ARCHIVE_PROGRESS),
                selector == null || selector.isBlank() ? null : selector.trim());
    }

    private static String destination(ConfigNode node, String defaultValue) throws ConfigException {
        String d = node.string(defaultValue).trim();
        if (!(d.startsWith("/queue/") || d.startsWith("/topic/")) || d.length() < 8 || d.chars().anyMatch(Character::isWhitespace)) {
            throw node.error("not a STOMP destination: " + node.shown() + " (want /queue/NAME or /topic/NAME)");
        }
        return d;
    }

    private Path dataDir(ConfigNode node) throws ConfigException {
        String configured = path(node, false);
        if (configured != null) {
            return Paths.get(configured);
        }
        // The same fallback as dqlog search, so both agree on where the data is.
        String fromEnv = fallback.value("data");
        return Paths.get(fromEnv != null ? fromEnv : CollectorConfig.DEFAULT_DATA_DIR).toAbsolutePath().normalize();
    }

    private static BatchConfig batch(ConfigNode node) throws ConfigException {
        Map<String, ConfigNode> keys = node.mapping(BATCH_KEYS);
        return new BatchConfig(
                child(keys, node, "maxRecords").integer(BatchConfig.DEFAULT_MAX_RECORDS, 1, 1_000_000),
                child(keys, node, "maxDelay").duration(BatchConfig.DEFAULT_MAX_DELAY, Duration.ofMillis(1)));
    }

    private static FilesConfig files(ConfigNode node) throws ConfigException {
        Map<String, ConfigNode> keys = node.mapping(FILES_KEYS);
        FilesConfig files = new FilesConfig(
                child(keys, node, "maxFileBytes").size(FilesConfig.DEFAULT_MAX_FILE_BYTES, MIN_FILE_BYTES),
                child(keys, node, "rotateDaily").bool(FilesConfig.DEFAULT_ROTATE_DAILY),
                child(keys, node, "maxAge").duration(FilesConfig.DEFAULT_MAX_AGE, Duration.ZERO),
                child(keys, node, "maxTotalBytes").size(FilesConfig.DEFAULT_MAX_TOTAL_BYTES, 0),
                child(keys, node, "compress").bool(FilesConfig.DEFAULT_COMPRESS),
                child(keys, node, "maxOpenFiles").integer(FilesConfig.DEFAULT_MAX_OPEN_FILES, 1, 100_000),
                child(keys, node, "maintenanceInterval").duration(FilesConfig.DEFAULT_MAINTENANCE_INTERVAL,
                        Duration.ofSeconds(1)));
        // The store always rolls at midnight UTC and gzips rolled files; refuse a setting it would ignore.
        if (!files.rotateDaily()) {
            throw child(keys, node, "rotateDaily").error("false is not supported yet: files are always rolled daily");
        }
        if (!files.compress()) {
            throw child(keys, node, "compress").error("false is not supported yet: rolled files are always compressed");
        }
        return files;
    }

    private static IndexConfig index(ConfigNode node) throws ConfigException {
        Map<String, ConfigNode> keys = node.mapping(INDEX_KEYS);
        return new IndexConfig(
                child(keys, node, "commitInterval").duration(IndexConfig.DEFAULT_COMMIT_INTERVAL, Duration.ofMillis(10)),
                child(keys, node, "recentIds").integer(IndexConfig.DEFAULT_RECENT_IDS, 0, 100_000_000));
    }

    private static HttpConfig http(ConfigNode node) throws ConfigException {
        Map<String, ConfigNode> keys = node.mapping(HTTP_KEYS);
        ConfigNode bind = child(keys, node, "bind");
        String address = bind.string(HttpConfig.DEFAULT_BIND).trim();
        if (address.isEmpty() || address.chars().anyMatch(Character::isWhitespace)) {
            throw bind.error("not a host name or address: " + bind.shown());
        }
        return new HttpConfig(
                child(keys, node, "enabled").bool(HttpConfig.DEFAULT_ENABLED),
                address,
                child(keys, node, "port").integer(HttpConfig.DEFAULT_PORT, 0, 65535),
                child(keys, node, "stallTimeout").duration(HttpConfig.DEFAULT_STALL_TIMEOUT, Duration.ofMillis(10)));
    }

    private SecurityConfig security(ConfigNode node, List<String> warnings) throws ConfigException {
        Map<String, ConfigNode> keys = node.mapping(SECURITY_KEYS);
        ConfigNode redact = child(keys, node, "redact");
        List<String> patterns = new ArrayList<>();
        for (ConfigNode item : redact.list()) {
            patterns.add(item.string(""));
        }
        Redaction redaction;
        try {
            redaction = redact.isSet() ? Redaction.withPatterns(patterns) : fallback.redaction();
        } catch (IllegalArgumentException e) {
            throw redact.isSet() ? redact.error(e.getMessage())
                    : new ConfigException(source, "security.redact", "from " + ClientSettings.propertyName(ClientSettings.REDACT)
                    + " or " + ClientSettings.environmentName(ClientSettings.REDACT) + ": " + e.getMessage());
        }
        return new SecurityConfig(child(keys, node, "redactPanics").bool(SecurityConfig.DEFAULT_REDACT_PANICS),
                redaction, child(keys, node, "privateFiles").bool(SecurityConfig.DEFAULT_PRIVATE_FILES),
                child(keys, node, "trustBrokerUser").bool(SecurityConfig.DEFAULT_TRUST_BROKER_USER), warnings);
    }

    /**
     * A path setting, relative paths read from the configuration file's directory.
     *
     * @param mustExist whether the file must be there now (stores and passcode files are read at start)
     */
    private String path(ConfigNode node, boolean mustExist) throws ConfigException {
        return resolvePath(node, baseDir, mustExist);
    }

    static String resolvePath(ConfigNode node, Path baseDir, boolean mustExist) throws ConfigException {
        String text = node.string(null);
        if (text == null || text.isBlank()) {
            return null;
        }
        Path p;
        try {
            p = baseDir.resolve(expandHome(text.trim())).normalize();
        } catch (RuntimeException e) {
            throw node.error("not a path: " + node.shown());
        }
        if (mustExist && !Files.isRegularFile(p)) {
            throw node.error("no such file: " + p);
        }
        return p.toString();
    }

    private static String expandHome(String path) {
        if (path.equals("~") || path.startsWith("~/")) {
            return System.getProperty("user.home") + path.substring(1);
        }
        return path;
    }
}
