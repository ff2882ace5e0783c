package org.dqlog.collector.mail;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.dqlog.core.config.TlsSettings;

/**
 * The {@code mail:} section of collector.yaml: how and to whom panic mails go. A plain value;
 * build one with {@link #builder(Path)}. {@link Builder#build()} validates every address and
 * bound, so a bad configuration fails at start, not at the first panic.
 *
 * <p>Immutable, so thread-safe. {@link #toString()} never shows the passcode.
 */
public final class MailSettings {

    /** Whether and how the SMTP session is upgraded to TLS with the STARTTLS command. */
    public enum StartTls {
        /** Plain SMTP; only sensible for a relay on the same host or a trusted network. */
        OFF,
        /** Upgrade when the server offers STARTTLS, else carry on in plain text. */
        ENABLED,
        /** Refuse to send (the mail stays queued) unless the server offers STARTTLS. */
        REQUIRED
    }

    /** Default SMTP server: a relay on this host. */
    public static final String DEFAULT_SMTP_HOST = "localhost";
    /** Default SMTP port. */
    public static final int DEFAULT_SMTP_PORT = 25;
    /** Port of SMTPS (implicit TLS): {@value}. */
    public static final int DEFAULT_SMTPS_PORT = 465;
    /** Default sender address. */
    public static final String DEFAULT_FROM = "dqlog@localhost";
    /** Default prefix of every subject, so mail filters can find panics. */
    public static final String DEFAULT_SUBJECT_PREFIX = "[dqlog panic]";
    /** Default bound on establishing the TCP connection to the SMTP server. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Default bound on each read from and write to the SMTP server. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);
    /** Default window in which identical panics (same host, app, message) become one mail. */
    public static final Duration DEFAULT_STORM_WINDOW = Duration.ofMinutes(10);
    /** Default cap on mails per sliding hour; {@code 0} means no cap. */
    public static final int DEFAULT_MAX_MAILS_PER_HOUR = 30;
    /** Default number of distinct panics listed in one digest mail; the rest are summed up. */
    public static final int DEFAULT_DIGEST_MAX_ENTRIES = 50;
    /** Default first wait before retrying after the SMTP server failed. */
    public static final Duration DEFAULT_RETRY_INITIAL_BACKOFF = Duration.ofSeconds(5);
    /** Default longest wait between retries while the SMTP server keeps failing. */
    public static final Duration DEFAULT_RETRY_MAX_BACKOFF = Duration.ofMinutes(5);

    private final String smtpHost;
    private final int smtpPort;
    private final StartTls startTls;
    private final boolean ssl;
    private final TlsSettings tls;
    private final String login;
    private final String passcode;
    private final String from;
    private final List<String> recipients;
    private final String subjectPrefix;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Duration stormWindow;
    private final int maxMailsPerHour;
    private final int digestMaxEntries;
    private final List<RoutingRule> routingRules;
    private final ZoneId zone;
    private final Path outboxDir;
    private final Duration retryInitialBackoff;
    private final Duration retryMaxBackoff;

    private MailSettings(Builder b) {
        this.smtpHost = b.smtpHost;
        this.smtpPort = b.smtpPort;
        this.login = blankToNull(b.login);
        this.passcode = b.passcode;
        this.ssl = b.ssl;
        this.tls = b.tls;
        // Never send a passcode in clear unless the operator says so explicitly; SMTPS is TLS from the start.
        this.startTls = ssl ? StartTls.OFF
                : b.startTls != null ? b.startTls : (login != null ? StartTls.REQUIRED : StartTls.OFF);
        this.from = b.from;
        this.recipients = List.copyOf(b.recipients);
        this.subjectPrefix = b.subjectPrefix;
        this.connectTimeout = b.connectTimeout;
        this.readTimeout = b.readTimeout;
        this.stormWindow = b.stormWindow;
        this.maxMailsPerHour = b.maxMailsPerHour;
        this.digestMaxEntries = b.digestMaxEntries;
        this.routingRules = List.copyOf(b.routingRules);
        this.zone = b.zone;
        this.outboxDir = b.outboxDir;
        this.retryInitialBackoff = b.retryInitialBackoff;
        this.retryMaxBackoff = b.retryMaxBackoff;
    }

    /** A builder with every default set; the outbox directory has no sensible default. */
    public static Builder builder(Path outboxDir) {
        return new Builder(outboxDir);
    }

    public String smtpHost() { return smtpHost; }
    /** SMTPS: TLS from the first byte (port 465), instead of STARTTLS. */
    public boolean ssl() { return ssl; }
    /** Trust store for the SMTP server's certificate ({@link TlsSettings#DEFAULT}: the JDK's). */
    public TlsSettings tls() { return tls; }
    /** Whether a login would send its password in clear: AUTH without SMTPS or STARTTLS. */
    public boolean loginInClear() { return login != null && !ssl && startTls == StartTls.OFF; }
    public int smtpPort() { return smtpPort; }
    /** Never null: when not configured, {@code REQUIRED} if a login is set, else {@code OFF}. */
    public StartTls startTls() { return startTls; }
    /** SMTP AUTH user name; null means no AUTH. */
    public String login() { return login; }
    /** SMTP AUTH password; null when not set. Never printed. */
    public String passcode() { return passcode; }
    public String from() { return from; }
    /** Recipients of every panic that no routing rule claims; never empty. */
    public List<String> recipients() { return recipients; }
    public String subjectPrefix() { return subjectPrefix; }
    public Duration connectTimeout() { return connectTimeout; }
    /** Bounds each read and each write on the SMTP connection. */
    public Duration readTimeout() { return readTimeout; }
    public Duration stormWindow() { return stormWindow; }
    /** {@code 0} means no cap. */
    public int maxMailsPerHour() { return maxMailsPerHour; }
    public int digestMaxEntries() { return digestMaxEntries; }
    /** In order; the first rule that matches a panic decides (see {@link Routing}). */
    public List<RoutingRule> routingRules() { return routingRules; }
    /** Time zone in which quiet windows are read. */
    public ZoneId zone() { return zone; }
    /** Directory of pending panics; one file per panic not yet mailed. */
    public Path outboxDir() { return outboxDir; }
    public Duration retryInitialBackoff() { return retryInitialBackoff; }
    public Duration retryMaxBackoff() { return retryMaxBackoff; }

    @Override
    public String toString() {
        return "MailSettings[smtp=" + smtpHost + ":" + smtpPort + (ssl ? ", smtps" : "") + ", startTls=" + startTls
                + ", login=" + login + ", passcode=" + (passcode == null ? "none" : "***")
                + ", from=" + from + ", to=" + recipients + ", stormWindow=" + stormWindow
                + ", maxMailsPerHour=" + maxMailsPerHour + ", rules=" + routingRules.size()
                + ", zone=" + zone + ", outbox=" + outboxDir + "]";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** Not thread-safe; one builder per thread. */
    public static final class Builder {
        private String smtpHost = DEFAULT_SMTP_HOST;
        private int smtpPort = DEFAULT_SMTP_PORT;
        private StartTls startTls;
        private boolean ssl;
        private TlsSettings tls = TlsSettings.DEFAULT;
        private String login;
        private String passcode;
        private String from = DEFAULT_FROM;
        private final List<String> recipients = new ArrayList<>();
        private String subjectPrefix = DEFAULT_SUBJECT_PREFIX;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration readTimeout = DEFAULT_READ_TIMEOUT;
        private Duration stormWindow = DEFAULT_STORM_WINDOW;
        private int maxMailsPerHour = DEFAULT_MAX_MAILS_PER_HOUR;
        private int digestMaxEntries = DEFAULT_DIGEST_MAX_ENTRIES;
        private final List<RoutingRule> routingRules = new ArrayList<>();
        private ZoneId zone = ZoneId.systemDefault();
        private final Path outboxDir;
        private Duration retryInitialBackoff = DEFAULT_RETRY_INITIAL_BACKOFF;
        private Duration retryMaxBackoff = DEFAULT_RETRY_MAX_BACKOFF;

        private Builder(Path outboxDir) {
            this.outboxDir = Objects.requireNonNull(outboxDir, "outboxDir");
        }

        public Builder smtpHost(String v) { smtpHost = v; return this; }
        public Builder smtpPort(int v) { smtpPort = v; return this; }
        /** Null restores the default (REQUIRED with a login, else OFF). */
        public Builder startTls(StartTls v) { startTls = v; return this; }
        public Builder login(String v) { login = v; return this; }
        public Builder ssl(boolean v) { ssl = v; return this; }
        public Builder tls(TlsSettings v) { tls = v; return this; }
        public Builder passcode(String v) { passcode = v; return this; }
        public Builder from(String v) { from = v; return this; }
        public Builder recipients(List<String> v) { recipients.clear(); recipients.addAll(v); return this; }
        public Builder addRecipient(String v) { recipients.add(v); return this; }
        public Builder subjectPrefix(String v) { subjectPrefix = v; return this; }
        public Builder connectTimeout(Duration v) { connectTimeout = v; return this; }
        public Builder readTimeout(Duration v) { readTimeout = v; return this; }
        public Builder stormWindow(Duration v) { stormWindow = v; return this; }
        public Builder maxMailsPerHour(int v) { maxMailsPerHour = v; return this; }
        public Builder digestMaxEntries(int v) { digestMaxEntries = v; return this; }
        public Builder routingRules(List<RoutingRule> v) { routingRules.clear(); routingRules.addAll(v); return this; }
        public Builder addRoutingRule(RoutingRule v) { routingRules.add(v); return this; }
        public Builder zone(ZoneId v) { zone = v; return this; }
        public Builder retryInitialBackoff(Duration v) { retryInitialBackoff = v; return this; }
        public Builder retryMaxBackoff(Duration v) { retryMaxBackoff = v; return this; }

        /**
         * @throws IllegalArgumentException naming the offending setting (never showing the passcode)
         */
        public MailSettings build() {
            require(smtpHost != null && !smtpHost.isBlank(), "mail.smtp.host must not be empty");
            require(smtpPort > 0 && smtpPort < 65536, "mail.smtp.port must be 1..65535, was " + smtpPort);
            require(from != null, "mail.from must be set");
            checkAddress("mail.from", from);
            require(!recipients.isEmpty(), "mail.to must name at least one address");
            for (String r : recipients) {
                checkAddress("mail.to", r);
            }
            require(subjectPrefix != null, "mail.subjectPrefix must not be null");
            requirePositive("mail.connectTimeout", connectTimeout);
            requirePositive("mail.readTimeout", readTimeout);
            requirePositive("mail.stormWindow", stormWindow);
            requirePositive("mail.retryInitialBackoff", retryInitialBackoff);
            requirePositive("mail.retryMaxBackoff", retryMaxBackoff);
            require(retryMaxBackoff.compareTo(retryInitialBackoff) >= 0,
                    "mail.retryMaxBackoff must not be shorter than mail.retryInitialBackoff");
            require(maxMailsPerHour >= 0, "mail.maxMailsPerHour must be >= 0 (0 = no cap)");
            require(digestMaxEntries >= 1, "mail.digestMaxEntries must be >= 1");
            require(zone != null, "mail.zone must be set");
            for (RoutingRule rule : routingRules) {
                for (String r : rule.recipients()) {
                    checkAddress("mail.routes[" + rule.hostGlob() + " " + rule.appGlob() + "].to", r);
                }
            }
            return new MailSettings(this);
        }

        private static void checkAddress(String setting, String address) {
            try {
                new InternetAddress(address, true).validate();
            } catch (AddressException e) {
                throw new IllegalArgumentException(setting + ": not a valid mail address: " + address, e);
            }
        }

        private static void requirePositive(String setting, Duration d) {
            require(d != null && !d.isNegative() && !d.isZero(), setting + " must be a positive duration");
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
