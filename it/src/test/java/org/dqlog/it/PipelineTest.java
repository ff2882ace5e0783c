package org.dqlog.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.dqlog.archive.StoredRecords;
import org.dqlog.collector.CollectorMain;
import org.dqlog.core.Level;
import org.dqlog.core.LogRecord;
import org.dqlog.core.ProcessInfo;
import org.dqlog.core.RecordCodec;
import org.dqlog.it.apps.Workload;
import org.dqlog.testkit.BrokerProcess;
import org.dqlog.testkit.ChildProcess;
import org.dqlog.testkit.ProcessReaper;
import org.dqlog.testkit.Waits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole system as an operator runs it: two broker processes, the collector daemon as a child
 * process (its YAML in a temp folder), a real SMTP server (GreenMail) in this JVM, a Log4j 2
 * application JVM and a Logback application JVM logging to different brokers, and {@code dqlog
 * search} reading what the collector stored. Then the collector is SIGKILLed mid-stream and
 * restarted: every record is exactly once in the files and the index.
 */
@ExtendWith(ProcessReaper.class)
class PipelineTest {

    static final Duration WAIT = Waits.CONDITION;
    static final Pattern COLLECTOR_READY = Pattern.compile("^" + Pattern.quote(CollectorMain.READY_PREFIX) + "data=\\S+ http=\\S+ brokers=2$");
    static final String MAIL_TO = "oncall@example.org";

    @TempDir
    Path temp;

    private GreenMail smtp;

    @AfterEach
    void stopSmtp() {
        if (smtp != null) {
            smtp.stop();
        }
    }

    @Test
    void recordsOfBothFrameworksAreSearchableOnceEachErrorsAreMailedAndACollectorCrashLosesAndDuplicatesNothing()
            throws Exception {
        // given: two brokers, an SMTP server, the collector consuming from both brokers
        List<BrokerProcess> brokers = Brokers.startTwo(temp);
        smtp = new GreenMail(new ServerSetup(Brokers.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        Queues queues = Queues.named("pipeline");
        Path data = temp.resolve("data");
        Path config = writeCollectorYaml(brokers, queues, data, smtp.getSmtp().getPort());
        ChildProcess collector = startCollector(config);

        // when: a Log4j application logs to the first broker only, a Logback application to the second only
        App log4j = App.builder(Framework.LOG4J2, temp.resolve("log4j-1")).brokers(brokers.get(0).uri())
                .queues(queues).run("first").count(1_000).start();
        App logback = App.builder(Framework.LOGBACK, temp.resolve("logback-1")).brokers(brokers.get(1).uri())
                .queues(queues).run("first").count(1_000).start();
        log4j.awaitSent();
        logback.awaitSent();

        // then: dqlog search finds every record of each, exactly once, with its fields
        for (App app : List.of(log4j, logback)) {
            awaitSearchCount(data, app, app.count());
            assertSearchFindsEachRecordOnce(data, app);
            Dqlog.Result errors = Dqlog.run(temp, "search", "--data", data.toString(), "-c", "--app", app.appName(),
                    "--level", "ERROR");
            assertThat(errors.out().trim()).isEqualTo(Integer.toString(panicSeqs(app.count()).size()));
        }
        // and every ERROR and FATAL became one mail, naming host, app and message
        await().atMost(WAIT).until(() -> smtp.getReceivedMessages().length >= 2 * panicSeqs(1_000).size());
        for (App app : List.of(log4j, logback)) {
            Map<String, Integer> mails = mailsByMessage(app);
            assertThat(mails.keySet()).as("panics mailed for " + app.appName())
                    .isEqualTo(panicSeqs(app.count()).stream().map(seq -> Workload.message(app.run(), seq)).collect(Collectors.toSet()));
            assertThat(mails.values()).as("one mail each").containsOnly(1);
        }
        log4j.stop();
        logback.stop();

        // when: both applications log again, steadily, and the collector is SIGKILLed mid-stream (the
        // applications pause half-way until then, so the kill falls inside their stream however slow the machine)
        App log4jAgain = App.builder(Framework.LOG4J2, temp.resolve("log4j-2")).brokers(brokers.get(0).uri())
                .queues(queues).run("second").count(2_000).perSecond(800).pauseAt(1_000).start();
        App logbackAgain = App.builder(Framework.LOGBACK, temp.resolve("logback-2")).brokers(brokers.get(1).uri())
                .queues(queues).run("second").count(2_000).perSecond(800).pauseAt(1_000).start();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> searchCount(data, log4jAgain) >= 300);
        collector.kill();
        int searchableAtKill = searchCount(data, log4jAgain);
        log4jAgain.resume();
        logbackAgain.resume();
        log4jAgain.awaitSent();
        logbackAgain.awaitSent();
        assertThat(searchableAtKill).as("killed mid-stream").isLessThan(log4jAgain.count());

        // and it is restarted on the same data
        startCollector(config);

        // then: every record of both runs is exactly once in the files and exactly once in the index
        for (App app : List.of(log4jAgain, logbackAgain)) {
            awaitSearchCount(data, app, app.count());
            assertSearchFindsEachRecordOnce(data, app);
        }
        int total = 2 * 1_000 + 2 * 2_000;
        await().atMost(WAIT).until(() -> StoredRecords.idCountsInIndex(data).size() >= total);
        Map<String, Integer> inFiles = StoredRecords.idCountsInFiles(data);
        Map<String, Integer> inIndex = StoredRecords.idCountsInIndex(data);
        assertThat(inFiles).hasSize(total);
        assertThat(inFiles.values()).as("each id once in the files").containsOnly(1);
        assertThat(inIndex.keySet()).isEqualTo(inFiles.keySet());
        assertThat(inIndex.values()).as("each id once in the index").containsOnly(1);
        // and every panic of the second runs was mailed too
        for (App app : List.of(log4jAgain, logbackAgain)) {
            Set<String> expected = panicSeqs(app.count()).stream().map(seq -> Workload.message(app.run(), seq))
                    .collect(Collectors.toSet());
            await().atMost(WAIT).until(() -> mailsByMessage(app).keySet().containsAll(expected));
            assertThat(mailsByMessage(app).keySet()).isEqualTo(expected);
        }
        log4jAgain.stop();
        logbackAgain.stop();
    }

    private static Path writeCollectorYaml(List<BrokerProcess> brokers, Queues queues, Path data, int smtpPort)
            throws IOException {
        String yaml = "brokers:\n"
                + brokers.stream().map(b -> "  - " + b.uri() + "\n").collect(Collectors.joining())
                + "data: " + data.toAbsolutePath() + "\n"
                + "destinations:\n  logging: " + queues.logging() + "\n  panic: " + queues.panic() + "\n"
                + "batch:\n  maxRecords: 500\n  maxDelay: 50ms\n"
                + "index:\n  commitInterval: 200ms\n"
                + "minFreeBytes: 0\n"
                + "http:\n  port: 0\n"
                + "mail:\n"
                + "  smtp:\n    host: 127.0.0.1\n    port: " + smtpPort + "\n    connectTimeout: 60s\n    readTimeout: 60s\n"
                + "  to: [" + MAIL_TO + "]\n"
                + "  maxMailsPerHour: 0\n"
                + "  retryInitialBackoff: 200ms\n  retryMaxBackoff: 1s\n";
        Path file = data.toAbsolutePath().getParent().resolve("collector.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    /** The collector daemon in its own JVM, without the applications' logging frameworks on its class path. */
    private static ChildProcess startCollector(Path config) throws IOException {
        String classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains("logback") && !entry.contains("log4j") && !entry.contains("activemq"))
                .collect(Collectors.joining(File.pathSeparator));
        ChildProcess collector = ChildProcess.java(CollectorMain.class.getName()).name("collector")
                .classpath(classpath)
                .removeEnv("DQLOG_BROKERS").removeEnv("DQLOG_DATA").removeEnv("DQLOG_LOGIN")
                .removeEnv("DQLOG_PASSCODE").removeEnv("DQLOG_PASSCODE_FILE")
                .args("--config", config.toString(), "--exit-on-stdin-eof")
                .start();
        collector.awaitLine(COLLECTOR_READY, Waits.PROCESS);
        return collector;
    }

    private int searchCount(Path data, App app) {
        Dqlog.Result result = Dqlog.run(temp, "search", "--data", data.toString(), "-c", "--app", app.appName());
        // 1 (nothing matched) prints 0; 2 may mean no index committed yet
        return result.exitCode() == 2 ? 0 : Integer.parseInt(result.out().trim());
    }

    private void awaitSearchCount(Path data, App app, int count) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> searchCount(data, app) >= count);
        Dqlog.Result result = Dqlog.run(temp, "search", "--data", data.toString(), "-c", "--app", app.appName());
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out().trim()).as("dqlog search -c --app " + app.appName()).isEqualTo(Integer.toString(count));
    }

    /** {@code dqlog search --json}: one line per record, every seq of the run once, with the fields it was logged with. */
    private void assertSearchFindsEachRecordOnce(Path data, App app) throws Exception {
        Dqlog.Result result = Dqlog.run(temp, "search", "--data", data.toString(), "--json", "--app", app.appName());
        assertThat(result.exitCode()).as(result.err()).isZero();
        List<LogRecord> records = new ArrayList<>();
        for (String line : result.lines()) {
            records.add(RecordCodec.decode(line));
        }
        assertThat(records).hasSize(app.count());
        assertThat(records.stream().map(LogRecord::id).distinct().count()).as("distinct ids").isEqualTo(app.count());
        Set<Integer> seqs = new TreeSet<>();
        for (LogRecord r : records) {
            int seq = Integer.parseInt(r.mdc().get(Workload.MDC_SEQ));
            seqs.add(seq);
            assertThat(r.host()).isEqualTo(ProcessInfo.hostName());
            assertThat(r.level()).isEqualTo(Workload.levelOf(seq));
            assertThat(r.message()).isEqualTo(Workload.message(app.run(), seq));
            assertThat(r.pid()).isEqualTo(app.process().pid());
            assertThat(r.rts()).as("receive time").isNotNull();
        }
        assertThat(seqs).isEqualTo(IntStream.range(0, app.count()).boxed().collect(Collectors.toSet()));
    }

    /** Mails about this application, counted by the record message in their subject. */
    private Map<String, Integer> mailsByMessage(App app) throws MessagingException {
        Map<String, Integer> counts = new HashMap<>();
        Pattern subject = Pattern.compile(" " + Pattern.quote(app.appName()) + ": (record \\d+ of " + Pattern.quote(app.run()) + ")$");
        for (MimeMessage mail : smtp.getReceivedMessages()) {
            var m = subject.matcher(mail.getSubject());
            if (m.find()) {
                assertThat(mail.getSubject()).contains(ProcessInfo.hostName());
                counts.merge(m.group(1), 1, Integer::sum);
            }
        }
        return counts;
    }

    private static List<Integer> panicSeqs(int count) {
        return IntStream.range(0, count).filter(seq -> Workload.levelOf(seq).compareTo(Level.ERROR) >= 0)
                .boxed().toList();
    }
}
