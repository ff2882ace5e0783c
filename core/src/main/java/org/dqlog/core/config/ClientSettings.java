package org.dqlog.core.config;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.dqlog.core.Redaction;

/**
 * The settings every client part shares (DESIGN.md, "Settings shared by every client part"),
 * looked up by their short key ({@code brokers}, {@code login}, ...). Precedence: an explicit value
 * (an appender attribute, a command-line option) wins over the system property
 * {@code dqlog.KEY}, which wins over the environment variable {@code DQLOG_KEY}
 * ({@code trustStore} becomes {@code DQLOG_TRUST_STORE}). Blank values count as unset.
 *
 * <p>Immutable and thread-safe; {@link #withExplicit} returns a new instance.
 */
public final class ClientSettings {

    public static final String BROKERS = "brokers";
    public static final String LOGIN = "login";
    public static final String PASSCODE = "passcode";
    public static final String PASSCODE_FILE = "passcodeFile";
    public static final String APP = "app";
    public static final String TRUST_STORE = "trustStore";
    public static final String TRUST_STORE_PASSWORD = "trustStorePassword";
    public static final String TRUST_STORE_TYPE = "trustStoreType";
    public static final String KEY_STORE = "keyStore";
    public static final String KEY_STORE_PASSWORD = "keyStorePassword";
    public static final String KEY_STORE_TYPE = "keyStoreType";
    /** Operator's redaction patterns, separated by white space (see {@link Redaction#withPatterns}). */
    public static final String REDACT = "redact";

    private static final String PROPERTY_PREFIX = "dqlog.";
    private static final String ENV_PREFIX = "DQLOG_";

    private final Map<String, String> explicit;
    private final Map<String, String> systemProperties;
    private final Map<String, String> environment;

    private ClientSettings(Map<String, String> explicit, Map<String, String> systemProperties,
            Map<String, String> environment) {
        this.explicit = explicit;
        this.systemProperties = systemProperties;
        this.environment = environment;
    }

    /** Reads this JVM's system properties (a snapshot taken now) and environment. */
    public static ClientSettings fromSystem() {
        Map<String, String> props = new HashMap<>();
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith(PROPERTY_PREFIX)) {
                props.put(name, System.getProperty(name));
            }
        }
        return of(props, System.getenv());
    }

    /** For tests and embedding: the given maps stand for the system properties and the environment. */
    public static ClientSettings of(Map<String, String> systemProperties, Map<String, String> environment) {
        return new ClientSettings(Collections.<String, String>emptyMap(),
                Collections.unmodifiableMap(new HashMap<>(systemProperties)),
                Collections.unmodifiableMap(new HashMap<>(environment)));
    }

    /** These settings with an explicit value for {@code key}; a null or blank value changes nothing. */
    public ClientSettings withExplicit(String key, String value) {
        if (isBlank(value)) {
            return this;
        }
        Map<String, String> copy = new HashMap<>(explicit);
        copy.put(Objects.requireNonNull(key, "key"), value);
        return new ClientSettings(Collections.unmodifiableMap(copy), systemProperties, environment);
    }

    /** {@code dqlog.KEY}. */
    public static String propertyName(String key) {
        return PROPERTY_PREFIX + key;
    }

    /** {@code DQLOG_KEY} with camel case split by underscores: {@code passcodeFile} gives {@code DQLOG_PASSCODE_FILE}. */
    public static String environmentName(String key) {
        StringBuilder name = new StringBuilder(ENV_PREFIX);
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isUpperCase(c) && i > 0) {
                name.append('_');
            }
            name.append(Character.toUpperCase(c));
        }
        return name.toString().toUpperCase(Locale.ROOT);
    }

    /** The effective value of {@code key}, or null when no source sets it. */
    public String value(String key) {
        for (int level = 0; level < 3; level++) {
            String v = valueAt(level, key);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /** The broker list ({@code brokers}); empty when unset. */
    public List<BrokerAddress> brokers() {
        return BrokerAddress.parseList(value(BROKERS));
    }

    /** The application name ({@code app}), or null. */
    public String app() {
        return value(APP);
    }

    /**
     * Login and passcode. The passcode comes from the most specific source that sets either
     * {@code passcode} or {@code passcodeFile} (explicit, then property, then environment); within
     * one source a literal passcode wins over the file. A file's trailing line break is dropped.
     *
     * @throws IllegalArgumentException naming the file (never its content) when it cannot be read
     */
    public Credentials credentials() {
        String passcode = null;
        String file = passcodeFileInUse();
        for (int level = 0; level < 3 && file == null; level++) {
            String literal = valueAt(level, PASSCODE);
            if (literal != null) {
                passcode = literal;
                break;
            }
        }
        if (file != null) {
            passcode = readPasscodeFile(file);
        }
        return Credentials.of(value(LOGIN), passcode);
    }

    /**
     * The warning for a passcode file that group or others may read ({@link PasscodeFile#exposure}),
     * for the file {@link #credentials()} reads; empty when it reads none or the file is owner-only.
     */
    public Optional<String> passcodeFileWarning() {
        String file = passcodeFileInUse();
        return file == null ? Optional.empty() : PasscodeFile.exposure(Paths.get(file));
    }

    /** Whether any source sets a passcode or a passcode file. */
    public boolean hasPasscode() {
        return value(PASSCODE) != null || value(PASSCODE_FILE) != null;
    }

    /** The passcode file of the most specific source that sets a passcode or a file, unless that source has a literal. */
    private String passcodeFileInUse() {
        for (int level = 0; level < 3; level++) {
            if (valueAt(level, PASSCODE) != null) {
                return null;
            }
            String file = valueAt(level, PASSCODE_FILE);
            if (file != null) {
                return file;
            }
        }
        return null;
    }

    /**
     * The redaction rules: the default forms plus the patterns of {@code redact}.
     *
     * @throws IllegalArgumentException naming a pattern that is not a regular expression
     */
    public Redaction redaction() {
        return Redaction.withPatterns(value(REDACT));
    }

    /** Trust store and key store settings. */
    public TlsSettings tls() {
        return TlsSettings.builder()
                .trustStore(value(TRUST_STORE))
                .trustStorePassword(value(TRUST_STORE_PASSWORD))
                .trustStoreType(value(TRUST_STORE_TYPE))
                .keyStore(value(KEY_STORE))
                .keyStorePassword(value(KEY_STORE_PASSWORD))
                .keyStoreType(value(KEY_STORE_TYPE))
                .build();
    }

    @Override
    public String toString() {
        return "ClientSettings[brokers=" + value(BROKERS) + ", login=" + value(LOGIN) + ", passcode="
                + (value(PASSCODE) != null || value(PASSCODE_FILE) != null ? "***" : "none") + ", app=" + value(APP)
                + ", trustStore=" + value(TRUST_STORE) + ", keyStore=" + value(KEY_STORE) + "]";
    }

    private String valueAt(int level, String key) {
        String v;
        switch (level) {
            case 0:
                v = explicit.get(key);
                break;
            case 1:
                v = systemProperties.get(propertyName(key));
                break;
            default:
                v = environment.get(environmentName(key));
                break;
        }
        return isBlank(v) ? null : v;
    }

    private static String readPasscodeFile(String file) {
        Path path = Paths.get(file);
        try {
            return PasscodeFile.read(path);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read passcode file " + path + ": " + e.getClass().getSimpleName(), e);
        }
    }

    private static boolean isBlank(String v) {
        return v == null || v.trim().isEmpty();
    }
}
