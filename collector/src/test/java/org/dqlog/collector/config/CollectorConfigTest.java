package org.dqlog.collector.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.dqlog.collector.mail.MailSettings;
import org.dqlog.collector.mail.QuietWindow;
import org.dqlog.collector.mail.RoutingRule;
import org.dqlog.archive.StorageSettings;
import org.dqlog.core.config.BrokerAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CollectorConfigTest {

    private static final Path EXAMPLE = Paths.get("..", "examples", "collector.yaml");
    private static final String BROKER_SECRET = "br0ker-s3cret";
    private static final String SMTP_SECRET = "smtp-s3cret";

    @TempDir
    Path dir;

    /** The example, copied beside the files it names (a passcode file, a trust store). */
    private Path example() throws IOException {
        Path file = dir.resolve("collector.yaml");
        Files.copy(EXAMPLE, file);
        Files.writeString(dir.resolve("broker.passcode"), BROKER_SECRET + "\n");
        Files.writeString(dir.resolve("smtp.passcode"), SMTP_SECRET + "\r\n");
        // a real (empty) store: the collector reads its trust store at start
        try (var out = Files.newOutputStream(dir.resolve("truststore.p12"))) {
            java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.store(out, "changeit".toCharArray());
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
        return file;
    }

    private CollectorConfig load(String yaml) throws IOException, ConfigException {
        return load(yaml, Map.of());
    }

    private CollectorConfig load(String yaml, Map<String, String> env) throws IOException, ConfigException {
        Path file = dir.resolve("collector.yaml");
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        return CollectorConfig.load(file, Map.of(), env);
    }

    private ConfigException error(String yaml) {
        return catchThrowableOfType(() -> load(yaml), ConfigException.class);
    }

    @Test
    void theExampleLoadsWithEveryValue() throws Exception {
        // given
        Path file = example();

        // when
        CollectorConfig c = CollectorConfig.load(file, Map.of(), Map.of());

        // then
        assertThat(c.source()).isEqualTo(file.toString());
        assertThat(c.brokers()).containsExactly(BrokerAddress.parse("tcp://mq1.example.org:61613"),
                BrokerAddress.parse("ssl://mq2.example.org:61614"));
        assertThat(c.credentials().login()).isEqualTo("dqlog-collector");
        assertThat(c.credentials().passcode()).isEqualTo(BROKER_SECRET);
        assertThat(c.tls().trustStore()).isEqualTo(dir.resolve("truststore.p12").toString());
        assertThat(c.destinations()).isEqualTo(new DestinationsConfig("/queue/atlas.dqm.logging",
                "/queue/atlas.dqm.panic", "/topic/atlas.dqm.progress", true, "app <> 'chatty-test'"));
        assertThat(c.dataDir()).isEqualTo(Paths.get("/var/lib/dqlog"));
        assertThat(c.deadLetterDir()).isEqualTo(Paths.get("/var/lib/dqlog/deadletter"));
        assertThat(c.batch()).isEqualTo(new BatchConfig(1000, Duration.ofMillis(250)));
        assertThat(c.prefetch()).isEqualTo(2000);
        assertThat(c.files()).isEqualTo(new FilesConfig(128L << 20, true, Duration.ofDays(180), 500_000_000_000L,
                true, 256, Duration.ofMinutes(5)));
        assertThat(c.index()).isEqualTo(new IndexConfig(Duration.ofSeconds(1), 200_000));
        assertThat(c.maxMessageBytes()).isEqualTo(2L << 20);
        assertThat(c.minFreeBytes()).isEqualTo(2L << 30);
        assertThat(c.http()).isEqualTo(new HttpConfig(true, "127.0.0.1", 9465));
        assertThat(c.storageSettings()).isEqualTo(new StorageSettings(Paths.get("/var/lib/dqlog"), 128L << 20,
                Duration.ofDays(180), 500_000_000_000L, 256, Duration.ofSeconds(1), Duration.ofMinutes(5), 200_000));

        MailSettings mail = c.mail().orElseThrow();
        assertThat(mail.smtpHost()).isEqualTo("smtp.example.org");
        assertThat(mail.smtpPort()).isEqualTo(587);
        assertThat(mail.startTls()).isEqualTo(MailSettings.StartTls.REQUIRED);
        assertThat(mail.login()).isEqualTo("dqlog");
        assertThat(mail.passcode()).isEqualTo(SMTP_SECRET);
        assertThat(mail.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(mail.readTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(mail.from()).isEqualTo("dqlog@example.org");
        assertThat(mail.recipients()).containsExactly("dq-oncall@example.org");
        assertThat(mail.subjectPrefix()).isEqualTo("[dqlog panic]");
        assertThat(mail.stormWindow()).isEqualTo(Duration.ofMinutes(15));
        assertThat(mail.maxMailsPerHour()).isEqualTo(20);
        assertThat(mail.digestMaxEntries()).isEqualTo(50);
        assertThat(mail.zone()).isEqualTo(ZoneId.of("Europe/Zurich"));
        assertThat(mail.retryInitialBackoff()).isEqualTo(Duration.ofSeconds(5));
        assertThat(mail.retryMaxBackoff()).isEqualTo(Duration.ofMinutes(5));
        assertThat(mail.outboxDir()).isEqualTo(Paths.get("/var/lib/dqlog/mail-outbox"));
        List<RoutingRule> routes = mail.routingRules();
        assertThat(routes).hasSize(2);
        assertThat(routes.get(0).hostGlob()).isEqualTo("db-*");
        assertThat(routes.get(0).recipients()).containsExactly("db-experts@example.org", "dq-oncall@example.org");
        assertThat(routes.get(0).quietWindows()).isEmpty();
        assertThat(routes.get(1).appGlob()).isEqualTo("dqm-web*");
        assertThat(routes.get(1).recipients()).containsExactly("web-team@example.org");
        assertThat(routes.get(1).quietWindows()).containsExactly(QuietWindow.parse("Sat,Sun 00:00-24:00"));
    }

    @Test
    void anEmptyFileGivesTheDefaults() throws Exception {
        // when
        CollectorConfig c = load("");

        // then
        assertThat(c.brokers()).containsExactly(BrokerAddress.parse(CollectorConfig.DEFAULT_BROKER));
        assertThat(c.credentials().login()).isNull();
        assertThat(c.credentials().passcode()).isNull();
        assertThat(c.tls().trustStore()).isNull();
        assertThat(c.destinations()).isEqualTo(DestinationsConfig.defaults());
        assertThat(c.dataDir()).isEqualTo(Paths.get(CollectorConfig.DEFAULT_DATA_DIR).toAbsolutePath().normalize());
        assertThat(c.batch()).isEqualTo(BatchConfig.defaults());
        assertThat(c.prefetch()).isEqualTo(CollectorConfig.DEFAULT_PREFETCH);
        assertThat(c.files()).isEqualTo(FilesConfig.defaults());
        assertThat(c.index()).isEqualTo(IndexConfig.defaults());
        assertThat(c.maxMessageBytes()).isEqualTo(CollectorConfig.DEFAULT_MAX_MESSAGE_BYTES);
        assertThat(c.minFreeBytes()).isEqualTo(CollectorConfig.DEFAULT_MIN_FREE_BYTES);
        assertThat(c.http()).isEqualTo(HttpConfig.defaults());
        assertThat(c.mail()).isEmpty();
        assertThat(c.storageSettings()).isEqualTo(StorageSettings.defaults(c.dataDir()));
    }

    @Test
    void aMailSectionWithOnlyRecipientsTakesTheNotifierDefaults() throws Exception {
        // when
        MailSettings mail = load("mail:\n  to: ops@example.org\n").mail().orElseThrow();

        // then
        assertThat(mail.smtpHost()).isEqualTo(MailSettings.DEFAULT_SMTP_HOST);
        assertThat(mail.smtpPort()).isEqualTo(MailSettings.DEFAULT_SMTP_PORT);
        assertThat(mail.startTls()).isEqualTo(MailSettings.StartTls.OFF);
        assertThat(mail.stormWindow()).isEqualTo(MailSettings.DEFAULT_STORM_WINDOW);
        assertThat(mail.maxMailsPerHour()).isEqualTo(MailSettings.DEFAULT_MAX_MAILS_PER_HOUR);
        assertThat(mail.recipients()).containsExactly("ops@example.org");
    }

    @Test
    void unquotedOffAndAnExplicitDisableAreUnderstood() throws Exception {
        assertThat(load("mail:\n  smtp: {starttls: off}\n  to: a@example.org\n").mail().orElseThrow().startTls())
                .isEqualTo(MailSettings.StartTls.OFF);
        assertThat(load("mail:\n  smtp: {starttls: enabled}\n  to: a@example.org\n").mail().orElseThrow().startTls())
                .isEqualTo(MailSettings.StartTls.ENABLED);
        assertThat(load("mail:\n  enabled: false\n").mail()).isEmpty();
    }

    @Test
    void theFileWinsOverTheEnvironmentWhichWinsOverTheDefaults() throws Exception {
        // given
        Path envPasscode = dir.resolve("env.passcode");
        Files.writeString(envPasscode, "from-env-file\n");
        Map<String, String> env = Map.of("DQLOG_BROKERS", "tcp://envbroker:61613,tcp://envbroker2:61613",
                "DQLOG_PASSCODE_FILE", envPasscode.toString(), "DQLOG_LOGIN", "envuser",
                "DQLOG_DATA", dir.resolve("envdata").toString());

        // when
        CollectorConfig fromEnv = load("", env);
        CollectorConfig fromFile = load("brokers: tcp://filebroker\npasscode: from-file\ndata: here\n", env);

        // then
        assertThat(fromEnv.brokers()).extracting(BrokerAddress::host).containsExactly("envbroker", "envbroker2");
        assertThat(fromEnv.credentials().login()).isEqualTo("envuser");
        assertThat(fromEnv.credentials().passcode()).isEqualTo("from-env-file");
        assertThat(fromEnv.dataDir()).isEqualTo(dir.resolve("envdata"));
        assertThat(fromFile.brokers()).extracting(BrokerAddress::host).containsExactly("filebroker");
        assertThat(fromFile.credentials().passcode()).isEqualTo("from-file");
        assertThat(fromFile.dataDir()).isEqualTo(dir.resolve("here"));
    }

    @Test
    void passcodeIsReadFromAFileBesideTheConfiguration() throws Exception {
        // given
        Files.writeString(dir.resolve("pc.txt"), "hunter2\n");

        // when
        CollectorConfig c = load("login: me\npasscodeFile: pc.txt\n");

        // then
        assertThat(c.credentials().passcode()).isEqualTo("hunter2");
    }

    @Test
    void noSecretAppearsInToString() throws Exception {
        // when
        String text = CollectorConfig.load(example(), Map.of(), Map.of()).toString();

        // then
        assertThat(text).contains("mq1.example.org", "smtp.example.org", "/var/lib/dqlog")
                .doesNotContain(BROKER_SECRET, SMTP_SECRET, "changeit");
    }

    @Test
    void noSecretAppearsInErrors() {
        assertThat(error("passcode: [hunter2]\n").getMessage()).endsWith("passcode: expected a text value, got a list");
        assertThat(error("mail:\n  smtp: {passcode: {x: hunter2}}\n").getMessage())
                .doesNotContain("hunter2").contains("mail.smtp.passcode:");
        assertThat(error("passcode: hunter2: more\n").getMessage())
                .doesNotContain("hunter2").contains("not valid YAML");
        assertThat(error("tls:\n  trustStorePasword: hunter2\n").getMessage())
                .doesNotContain("hunter2").contains("tls.trustStorePasword: unknown key");
    }

    @Test
    void eachBadValueIsNamedWithFileAndKey() throws Exception {
        Path file = dir.resolve("collector.yaml");
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("files:\n  maxFileBytes: 12 potatoes\n", "files.maxFileBytes: not a size: '12 potatoes'");
        cases.put("files:\n  maxFileBytes: 1KiB\n", "files.maxFileBytes: must be at least 4KiB, was '1KiB'");
        cases.put("files:\n  maxFilesBytes: 1MiB\n", "files.maxFilesBytes: unknown key (known here: compress, ");
        cases.put("files:\n  compress: false\n", "files.compress: false is not supported yet");
        cases.put("files:\n  maxAge: forever\n", "files.maxAge: not a duration: 'forever'");
        cases.put("files: 5\n", "files: expected a section of keys");
        cases.put("batch:\n  maxDelay: 200\n", "batch.maxDelay: not a duration: 200");
        cases.put("batch:\n  maxDelay: -1s\n", "batch.maxDelay: not a duration: '-1s'");
        cases.put("batch:\n  maxRecords: 0\n", "batch.maxRecords: must be between 1 and 1000000, was 0");
        cases.put("prefetch: many\n", "prefetch: not a whole number: 'many'");
        cases.put("prefetch: 10\n", "prefetch: must be at least batch.maxRecords (500)");
        cases.put("maxMessageBytes: 1TB\n", "maxMessageBytes: must be at most 512MiB, was '1TB'");
        cases.put("minFreeBytes: -5\n", "minFreeBytes: must be at least 0, was -5");
        cases.put("http:\n  port: 70000\n", "http.port: must be between 0 and 65535, was 70000");
        cases.put("http:\n  enabled: maybe\n", "http.enabled: expected true or false, got 'maybe'");
        cases.put("brokers: [tcp://ok:61613, http://x:1]\n", "brokers[1]: bad broker URI 'http://x:1': scheme must be tcp or ssl");
        cases.put("brokers: {a: 1}\n", "brokers: expected a list, got a section of keys");
        cases.put("destinations:\n  logging: atlas.dqm.logging\n", "destinations.logging: not a STOMP destination: 'atlas.dqm.logging'");
        cases.put("passcodeFile: missing.txt\n", "passcodeFile: no such file: " + dir.resolve("missing.txt"));
        cases.put("passcode: a\npasscodeFile: b\n", "passcodeFile: set passcode or passcodeFile, not both");
        cases.put("tls:\n  trustStore: nowhere.p12\n", "tls.trustStore: no such file: ");
        cases.put("filez: {}\n", "filez: unknown key (known here: batch, brokers, ");
        cases.put("- a\n- b\n", "expected a section of keys");
        cases.put("prefetch: 1\nprefetch: 2\n", "line 2, column 1: not valid YAML: found duplicate key prefetch");
        cases.put("files:\n  maxFileBytes: [1\n", "line 3, column 1: not valid YAML: expected ',' or ']'");
        cases.put("mail: {}\n", "mail.to: at least one recipient is required");
        cases.put("mail:\n  to: not an address\n", "mail.to: not a mail address: 'not an address'");
        cases.put("mail:\n  to: [a@example.org, b@]\n", "mail.to[1]: not a mail address: 'b@'");
        cases.put("mail:\n  to: a@example.org\n  zone: Mars/Olympus\n", "mail.zone: not a time zone: 'Mars/Olympus'");
        cases.put("mail:\n  to: a@example.org\n  smtp: {starttls: sometimes}\n", "mail.smtp.starttls: expected off, enabled or required, got 'sometimes'");
        cases.put("mail:\n  to: a@example.org\n  smtp: {port: 0}\n", "mail.smtp.port: must be between 1 and 65535, was 0");
        cases.put("mail:\n  to: a@example.org\n  retryInitialBackoff: 1m\n  retryMaxBackoff: 10s\n",
                "mail.retryMaxBackoff: must not be shorter than mail.retryInitialBackoff (1m)");
        cases.put("mail:\n  to: a@example.org\n  routes:\n    - host: db*\n      quiet: [\"Mon-Fry 22:00-07:00\"]\n",
                "mail.routes[0].quiet[0]: unknown day 'Fry' in quiet window: Mon-Fry 22:00-07:00");
        cases.put("mail:\n  to: a@example.org\n  routes:\n    - hosts: db*\n", "mail.routes[0].hosts: unknown key");

        cases.forEach((yaml, expected) -> {
            ConfigException e = error(yaml);
            assertThat(e).as(yaml).isNotNull();
            assertThat(e.getMessage()).as(yaml).startsWith(file + ": " + expected);
            assertThat(e.source()).isEqualTo(file.toString());
        });
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("nope.yaml");
        ConfigException e = catchThrowableOfType(() -> CollectorConfig.load(missing, Map.of(), Map.of()),
                ConfigException.class);
        assertThat(e.getMessage()).startsWith(missing + ": cannot read the configuration file: NoSuchFileException");
    }
}
