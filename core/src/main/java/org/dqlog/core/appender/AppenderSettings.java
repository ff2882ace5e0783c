package org.dqlog.core.appender;

import java.nio.file.Paths;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.dqlog.core.Level;
import org.dqlog.core.Redaction;
import org.dqlog.core.config.ClientSettings;
import org.dqlog.core.config.SecurityWarnings;
import org.dqlog.core.publish.SenderConfig;

/**
 * The attributes of a dqlog appender, with the same names in every logging framework, as the
 * framework's configuration gives them (text): the one place that reads them into a
 * {@link SenderConfig} (which fills in the shared settings {@code dqlog.brokers} /
 * {@code DQLOG_BROKERS}, ... and the defaults) and names what is wrong. An appender copies its
 * attributes in, calls {@link #problems()}, and refuses to start while that is not empty.
 *
 * <p>Sizes are bytes, or a number with {@code KB}, {@code MB}, {@code GB} (powers of 1024).
 * Durations are milliseconds, or a number with {@code ms}, {@code s}, {@code m}, {@code h}, or
 * ISO-8601 ({@code PT10S}).
 *
 * <p>Not thread-safe: a framework configures it on one thread, then hands it over.
 */
public final class AppenderSettings {

    /** Attribute names, as written in both frameworks' configuration files. */
    public static final String BROKERS = ClientSettings.BROKERS;
    public static final String PANIC_LEVEL = "panicLevel";
    public static final String QUEUE_CAPACITY = "queueCapacity";
    public static final String SPOOL_MAX_BYTES = "spoolMaxBytes";
    public static final String SHUTDOWN_TIMEOUT = "shutdownTimeout";
    /** Operator redaction patterns, as {@code dqlog.redact} takes them; they add to that setting's. */
    public static final String REDACT = ClientSettings.REDACT;
    public static final String BATCHING = "batching";

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|kb|kib|k|mb|mib|m|gb|gib|g)?");
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

    /** Random per JVM, so a fingerprint in a status message gives nothing to guess a passcode against. */
    private static final long FINGERPRINT_SALT = new SecureRandom().nextLong();

    private final ClientSettings environment;
    private String brokers;
    private String login;
    private String passcode;
    private String passcodeFile;
    private String app;
    private String host;
    private String loggingDestination;
    private String panicDestination;
    private String panicLevel;
    private String queueCapacity;
    private String spoolDir;
    private String spoolMaxBytes;
    private String shutdownTimeout;
    private String redact;
    private String batching;
    private final Map<String, String> headers = new LinkedHashMap<>();

    /** Defaults from this JVM's system properties and environment. */
    public AppenderSettings() {
        this(ClientSettings.fromSystem());
    }

    /** Defaults from the given shared settings (tests). */
    public AppenderSettings(ClientSettings environment) {
        this.environment = environment;
    }

    public AppenderSettings brokers(String v) { brokers = v; return this; }
    public AppenderSettings login(String v) { login = v; return this; }
    public AppenderSettings passcode(String v) { passcode = v; return this; }
    public AppenderSettings passcodeFile(String v) { passcodeFile = v; return this; }
    public AppenderSettings app(String v) { app = v; return this; }
    public AppenderSettings host(String v) { host = v; return this; }
    public AppenderSettings loggingDestination(String v) { loggingDestination = v; return this; }
    public AppenderSettings panicDestination(String v) { panicDestination = v; return this; }
    public AppenderSettings panicLevel(String v) { panicLevel = v; return this; }
    public AppenderSettings queueCapacity(String v) { queueCapacity = v; return this; }
    public AppenderSettings spoolDir(String v) { spoolDir = v; return this; }
    public AppenderSettings spoolMaxBytes(String v) { spoolMaxBytes = v; return this; }
    public AppenderSettings shutdownTimeout(String v) { shutdownTimeout = v; return this; }
    public AppenderSettings redact(String v) { redact = v; return this; }
    public AppenderSettings batching(String v) { batching = v; return this; }

    /** An extra static header on every message; a blank name or value is a problem. */
    public AppenderSettings header(String name, String value) {
        headers.put(name == null ? "" : name.trim(), value);
        return this;
    }

    /**
     * An extra header written as {@code name=value} (Logback's {@code <header>} element).
     * Text without '=' is kept as a header with no value, which {@link #problems()} reports.
     */
    public AppenderSettings header(String nameEqualsValue) {
        String text = nameEqualsValue == null ? "" : nameEqualsValue;
        int eq = text.indexOf('=');
        return eq < 0 ? header(text, null) : header(text.substring(0, eq), text.substring(eq + 1).trim());
    }

    /**
     * What is wrong with these settings, one message each, naming the attribute; empty when the
     * appender can start. Never contains a passcode.
     */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        collect(problems, PANIC_LEVEL, () -> panicLevel());
        collect(problems, QUEUE_CAPACITY, () -> queueCapacity());
        collect(problems, SPOOL_MAX_BYTES, () -> spoolMaxBytes());
        collect(problems, SHUTDOWN_TIMEOUT, () -> shutdownTimeout());
        collect(problems, ClientSettings.propertyName(ClientSettings.REDACT), () -> environment.redaction());
        collect(problems, REDACT, () -> Redaction.withPatterns(redact));
        collect(problems, BATCHING, () -> batching());
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (h.getKey().isEmpty() || h.getValue() == null || h.getValue().isEmpty()) {
                problems.add("header '" + h.getKey() + "': a header needs a name and a value (name=value)");
            }
        }
        if (problems.isEmpty()) {
            // The sender's own checks: brokers, passcode file, ranges, reserved headers.
            collect(problems, null, () -> senderConfig());
        }
        return problems;
    }

    /**
     * How panics hide secrets in the command line: the default forms plus the patterns of
     * {@code dqlog.redact} and of the {@code redact} attribute, both (redaction errs on the side of hiding).
     */
    public Redaction redaction() {
        String shared = environment.value(ClientSettings.REDACT);
        return Redaction.withPatterns((shared == null ? "" : shared) + " " + (redact == null ? "" : redact));
    }

    /** What these settings expose (a passcode file others may read, a passcode over tcp://), to warn about at start. */
    public List<String> securityWarnings() {
        return SecurityWarnings.of(environment.withExplicit(ClientSettings.BROKERS, brokers)
                .withExplicit(ClientSettings.PASSCODE, passcode).withExplicit(ClientSettings.PASSCODE_FILE, passcodeFile));
    }

    private interface Check {
        Object run();
    }

    private static void collect(List<String> problems, String attribute, Check check) {
        try {
            check.run();
        } catch (IllegalArgumentException e) {
            problems.add(attribute == null ? e.getMessage() : attribute + ": " + e.getMessage());
        }
    }

    /**
     * The sender's configuration: attributes, else the shared settings ({@code dqlog.brokers},
     * {@code DQLOG_BROKERS}, ...), else the sender's defaults.
     *
     * @throws IllegalArgumentException naming the attribute that is wrong (see {@link #problems()})
     */
    public SenderConfig senderConfig() {
        SenderConfig.Builder b = SenderConfig.builder().settings(environment)
                .brokers(brokers).login(login).passcode(passcode).passcodeFile(passcodeFile)
                .app(app).host(host)
                .loggingDestination(blankToNull(loggingDestination))
                .panicDestination(blankToNull(panicDestination))
                .shutdownTimeout(shutdownTimeout())
                .batching(batching())
                .extraHeaders(headers);
        Integer capacity = queueCapacity();
        if (capacity != null) {
            b.queueCapacity(capacity);
        }
        if (spoolDir() != null) {
            b.spoolDir(Paths.get(spoolDir()));
        }
        Long spoolBytes = spoolMaxBytes();
        if (spoolBytes != null) {
            b.spoolMaxBytes(spoolBytes);
        }
        return b.build();
    }

    /** Default {@link RecordFactory#DEFAULT_PANIC_LEVEL}. */
    public Level panicLevel() {
        return isBlank(panicLevel) ? RecordFactory.DEFAULT_PANIC_LEVEL : Level.parse(panicLevel);
    }

    /** Records held in memory; null for the sender's default. */
    public Integer queueCapacity() {
        if (isBlank(queueCapacity)) {
            return null;
        }
        try {
            int n = Integer.parseInt(queueCapacity.trim());
            if (n < 1) {
                throw new IllegalArgumentException("must be at least 1, not " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number: '" + queueCapacity + "'", e);
        }
    }

    /** The spool directory, or null for the sender's default. */
    public String spoolDir() {
        return isBlank(spoolDir) ? null : spoolDir.trim();
    }

    /** Null for the sender's default. */
    public Long spoolMaxBytes() {
        return isBlank(spoolMaxBytes) ? null : parseBytes(spoolMaxBytes);
    }

    /** Default {@link SenderConfig#DEFAULT_SHUTDOWN_TIMEOUT}. */
    public Duration shutdownTimeout() {
        return isBlank(shutdownTimeout) ? SenderConfig.DEFAULT_SHUTDOWN_TIMEOUT : parseDuration(shutdownTimeout);
    }

    /**
     * True (default): several waiting records travel as one {@code LogBatch} message; false: one
     * message per record, for a fleet whose collectors do not read batches yet.
     */
    public boolean batching() {
        if (isBlank(batching)) {
            return true;
        }
        switch (batching.trim().toLowerCase(Locale.ROOT)) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                throw new IllegalArgumentException("not true or false: '" + batching + "'");
        }
    }

    /** Extra static headers, in configuration order. */
    public Map<String, String> headers() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /**
     * Equal for equal settings, different (almost always) for different ones, and telling nothing
     * about the passcode: lets a framework keep a live sender across a reconfiguration that
     * changed nothing.
     */
    public String fingerprint() {
        int h = Objects.hash(FINGERPRINT_SALT, brokers, login, passcode, passcodeFile, app, host, loggingDestination,
                panicDestination, panicLevel, queueCapacity, spoolDir, spoolMaxBytes, shutdownTimeout, batching, headers);
        return Integer.toHexString(h);
    }

    /** {@code 1048576}, {@code 64MB}, {@code 512 KiB}, {@code 1g}. */
    public static long parseBytes(String text) {
        Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("not a size: '" + text + "' (expected bytes, or a number with KB, MB or GB)");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2);
        int shift = unit.startsWith("k") ? 10 : unit.startsWith("m") ? 20 : unit.startsWith("g") ? 30 : 0;
        if (n > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("too large: '" + text + "'");
        }
        return n << shift;
    }

    /** {@code 10000} (ms), {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}, {@code PT10S}. */
    public static Duration parseDuration(String text) {
        String t = text.trim();
        if (t.toUpperCase(Locale.ROOT).startsWith("P")) {
            try {
                return nonNegative(Duration.parse(t.toUpperCase(Locale.ROOT)), text);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("not a duration: '" + text + "'", e);
            }
        }
        Matcher m = DURATION.matcher(t.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration: '" + text
                    + "' (expected milliseconds, or a number with ms, s, m or h, or ISO-8601 such as PT10S)");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        switch (unit) {
            case "s": return Duration.ofSeconds(n);
            case "m": return Duration.ofMinutes(n);
            case "h": return Duration.ofHours(n);
            default: return Duration.ofMillis(n);
        }
    }

    private static Duration nonNegative(Duration d, String text) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("negative duration: '" + text + "'");
        }
        return d;
    }

    private static String blankToNull(String v) {
        return isBlank(v) ? null : v.trim();
    }

    private static boolean isBlank(String v) {
        return v == null || v.trim().isEmpty();
    }

    /** Never shows the passcode. */
    @Override
    public String toString() {
        return "AppenderSettings[brokers=" + brokers + ", login=" + login + ", passcode="
                + (passcode != null || passcodeFile != null ? "***" : "none") + ", app=" + app + ", host=" + host + ", panicLevel=" + panicLevel
                + ", queueCapacity=" + queueCapacity + ", spoolDir=" + spoolDir + ", spoolMaxBytes="
                + spoolMaxBytes + ", shutdownTimeout=" + shutdownTimeout + ", batching=" + batching + ", headers=" + headers.keySet() + "]";
    }
}
