package org.dqlog.collector.config;

import static org.dqlog.collector.config.ConfigNode.child;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.dqlog.collector.mail.MailSettings;
import org.dqlog.collector.mail.QuietWindow;
import org.dqlog.collector.mail.RoutingRule;
import org.dqlog.core.config.PasscodeFile;
import org.dqlog.core.config.TlsSettings;

/**
 * Reads the {@code mail:} section into the notifier's {@link MailSettings}, naming the key of
 * every bad value ({@code mail.routes[1].quiet[0]}).
 *
 * <p>Not thread-safe; one reader per load.
 */
final class MailConfigReader {

    private static final Set<String> MAIL_KEYS = Set.of("enabled", "smtp", "from", "to", "subjectPrefix",
            "stormWindow", "maxMailsPerHour", "digestMaxEntries", "zone", "retryInitialBackoff", "retryMaxBackoff",
            "routes");
    private static final Set<String> SMTP_KEYS = Set.of("host", "port", "starttls", "login", "passcode",
            "passcodeFile", "connectTimeout", "readTimeout", "ssl", "trustStore", "trustStorePassword", "trustStoreType");
    private static final Set<String> ROUTE_KEYS = Set.of("host", "app", "to", "quiet");
    private static final Duration MIN_TIMEOUT = Duration.ofMillis(100);

    private final Path baseDir;
    private final List<String> warnings = new ArrayList<>();

    MailConfigReader(Path baseDir) {
        this.baseDir = baseDir;
    }

    /** What the section read last exposes (an SMTP passcode file others can read, a login without TLS). */
    List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** Null when the section is absent or disabled: the collector then archives panics without mailing them. */
    MailSettings read(ConfigNode node, Path outboxDir) throws ConfigException {
        Map<String, ConfigNode> keys = node.mapping(MAIL_KEYS);
        if (!node.isSet() || !child(keys, node, "enabled").bool(true)) {
            return null;
        }
        MailSettings.Builder b = MailSettings.builder(outboxDir);
        smtp(child(keys, node, "smtp"), b);
        b.from(address(child(keys, node, "from"), MailSettings.DEFAULT_FROM));
        ConfigNode to = child(keys, node, "to");
        List<String> recipients = addresses(to);
        if (recipients.isEmpty()) {
            throw to.error("at least one recipient is required (or set mail.enabled: false)");
        }
        b.recipients(recipients);
        b.subjectPrefix(child(keys, node, "subjectPrefix").string(MailSettings.DEFAULT_SUBJECT_PREFIX));
        b.stormWindow(child(keys, node, "stormWindow").duration(MailSettings.DEFAULT_STORM_WINDOW, Duration.ofSeconds(1)));
        b.maxMailsPerHour(child(keys, node, "maxMailsPerHour").integer(MailSettings.DEFAULT_MAX_MAILS_PER_HOUR, 0, 1_000_000));
        b.digestMaxEntries(child(keys, node, "digestMaxEntries").integer(MailSettings.DEFAULT_DIGEST_MAX_ENTRIES, 1, 100_000));
        b.zone(zone(child(keys, node, "zone")));
        ConfigNode initial = child(keys, node, "retryInitialBackoff");
        ConfigNode max = child(keys, node, "retryMaxBackoff");
        Duration initialBackoff = initial.duration(MailSettings.DEFAULT_RETRY_INITIAL_BACKOFF, MIN_TIMEOUT);
        Duration maxBackoff = max.duration(MailSettings.DEFAULT_RETRY_MAX_BACKOFF, MIN_TIMEOUT);
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw max.error("must not be shorter than mail.retryInitialBackoff (" + Durations.format(initialBackoff) + ")");
        }
        b.retryInitialBackoff(initialBackoff).retryMaxBackoff(maxBackoff);
        for (ConfigNode route : child(keys, node, "routes").list()) {
            b.addRoutingRule(route(route));
        }
        MailSettings settings;
        try {
            settings = b.build();
        } catch (IllegalArgumentException e) {
            // MailSettings names its own key (mail.smtp.port ...) and never the passcode.
            throw new ConfigException(node.source(), "", e.getMessage());
        }
        if (settings.loginInClear()) {
            warnings.add("mail.smtp: the SMTP login sends its password in clear (starttls: off); use starttls: required");
        }
        return settings;
    }

    private void smtp(ConfigNode node, MailSettings.Builder b) throws ConfigException {
        Map<String, ConfigNode> keys = node.mapping(SMTP_KEYS);
        ConfigNode host = child(keys, node, "host");
        String h = host.string(MailSettings.DEFAULT_SMTP_HOST).trim();
        if (h.isEmpty()) {
            throw host.error("must not be empty");
        }
        b.smtpHost(h);
        boolean ssl = child(keys, node, "ssl").bool(false);
        b.ssl(ssl);
        b.smtpPort(child(keys, node, "port").integer(ssl ? MailSettings.DEFAULT_SMTPS_PORT : MailSettings.DEFAULT_SMTP_PORT,
                1, 65535));
        TlsSettings tls = TlsSettings.builder()
                .trustStore(ConfigReader.resolvePath(child(keys, node, "trustStore"), baseDir, true))
                .trustStorePassword(child(keys, node, "trustStorePassword").string(null))
                .trustStoreType(child(keys, node, "trustStoreType").string(null)).build();
        try {
            tls.check();
        } catch (IllegalArgumentException e) {
            throw child(keys, node, "trustStore").error(e.getMessage());
        }
        b.tls(tls);
        b.startTls(startTls(child(keys, node, "starttls")));
        b.login(child(keys, node, "login").string(null));
        ConfigNode passcode = child(keys, node, "passcode");
        ConfigNode passcodeFile = child(keys, node, "passcodeFile");
        if (passcode.isSet() && passcodeFile.isSet()) {
            throw passcodeFile.error("set passcode or passcodeFile, not both");
        }
        b.passcode(passcode.isSet() ? passcode.string(null) : readPasscode(passcodeFile));

        b.connectTimeout(child(keys, node, "connectTimeout").duration(MailSettings.DEFAULT_CONNECT_TIMEOUT, MIN_TIMEOUT));
        b.readTimeout(child(keys, node, "readTimeout").duration(MailSettings.DEFAULT_READ_TIMEOUT, MIN_TIMEOUT));
    }

    /** YAML 1.1 reads an unquoted {@code off} as false, so booleans are accepted too. */
    private static MailSettings.StartTls startTls(ConfigNode node) throws ConfigException {
        if (!node.isSet()) {
            return null;
        }
        if (node.isBoolean()) {
            // "starttls: true" asks for encryption: never fall back to plain text silently.
            return node.bool(false) ? MailSettings.StartTls.REQUIRED : MailSettings.StartTls.OFF;
        }
        String s = node.string("").trim().toUpperCase(Locale.ROOT);
        for (MailSettings.StartTls v : MailSettings.StartTls.values()) {
            if (v.name().equals(s)) {
                return v;
            }
        }
        throw node.error("expected off, enabled or required, got " + node.shown());
    }

    private String readPasscode(ConfigNode node) throws ConfigException {
        String file = ConfigReader.resolvePath(node, baseDir, true);
        if (file == null) {
            return null;
        }
        PasscodeFile.exposure(Paths.get(file)).ifPresent(w -> warnings.add("mail.smtp: " + w));
        try {
            return PasscodeFile.read(Paths.get(file));
        } catch (IOException e) {
            throw node.error("cannot read " + file + ": " + e.getClass().getSimpleName());
        }
    }

    private static RoutingRule route(ConfigNode node) throws ConfigException {
        if (!node.isSet()) {
            throw node.error("empty route; give host, app, to or quiet");
        }
        Map<String, ConfigNode> keys = node.mapping(ROUTE_KEYS);
        List<QuietWindow> quiet = new ArrayList<>();
        for (ConfigNode q : child(keys, node, "quiet").list()) {
            try {
                quiet.add(QuietWindow.parse(q.string("")));
            } catch (IllegalArgumentException e) {
                throw q.error(e.getMessage());
            }
        }
        return new RoutingRule(child(keys, node, "host").string(null), child(keys, node, "app").string(null),
                addresses(child(keys, node, "to")), quiet);
    }

    private static ZoneId zone(ConfigNode node) throws ConfigException {
        String z = node.string(null);
        if (z == null) {
            return ZoneId.systemDefault();
        }
        try {
            return ZoneId.of(z.trim());
        } catch (DateTimeException e) {
            throw node.error("not a time zone: " + node.shown() + " (want e.g. Europe/Zurich or UTC)");
        }
    }

    private static List<String> addresses(ConfigNode node) throws ConfigException {
        List<String> result = new ArrayList<>();
        for (ConfigNode item : node.list()) {
            result.add(address(item, null));
        }
        return result;
    }

    private static String address(ConfigNode node, String defaultValue) throws ConfigException {
        String a = node.string(defaultValue);
        if (a == null) {
            throw node.error("must not be empty");
        }
        try {
            new InternetAddress(a.trim(), true).validate();
        } catch (AddressException e) {
            throw node.error("not a mail address: " + node.shown());
        }
        return a.trim();
    }
}
