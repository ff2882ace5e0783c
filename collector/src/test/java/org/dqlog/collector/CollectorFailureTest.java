package org.dqlog.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.dqlog.collector.ops.HealthServer;
import org.dqlog.core.Status;
import org.dqlog.testkit.BrokerProcess;
import org.dqlog.testkit.ProcessReaper;
import org.dqlog.testkit.Waits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the collector cannot survive in-process, against a real broker: it must say so on
 * {@code /health}, stop with {@link CollectorMain#EXIT_FAILED} (so that systemd restarts it), and
 * the restart must archive every record exactly once.
 */
class CollectorFailureTest {

    @RegisterExtension
    static final ProcessReaper REAPER = new ProcessReaper();

    static final Duration WAIT = Waits.CONDITION;

    @TempDir
    static Path brokerDir;
    static BrokerProcess broker;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() throws IOException {
        broker = BrokerProcess.builder(brokerDir).name("broker-f").start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    @SuppressWarnings({"deprecation", "removal"})
    void aPipelineWorkerDyingOfAnErrorFailsHealthWithTheReasonStopsTheCollectorAndARestartArchivesEverythingOnce()
            throws Exception {
        // given
        CollectorYaml yaml = new CollectorYaml(List.of(broker.uri()), dir.resolve("data"), "worker-error");
        Collector collector = Collector.start(yaml.config(), TestBrokers.WARNINGS);
        Archive archive = new Archive(yaml.data());
        try (Sender sender = new Sender(broker.uri());
             HealthServer health = HealthServer.start(new InetSocketAddress("127.0.0.1", 0), collector.metrics(),
                     Status.SILENT)) {
            sender.send(yaml.logging(), TestRecords.logs("before", 50, "h"));
            await().atMost(WAIT).until(() -> archive.idCountsInFiles().size() == 50);
            // (the lines reach the file before the batch reaches the index writer: wait for the count)
            await().atMost(WAIT).until(() -> collector.metrics().recordsArchived() == 50);

            // when: the logging pipeline's worker dies of an Error (a real one, thrown into it)
            Thread worker = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("dqlog-collector-" + Collector.LOGGING)).findFirst().orElseThrow();
            worker.stop();

            // then: the collector fails, says why on /health, and stops on its own
            assertThat(collector.awaitClosed(WAIT)).isTrue();
            assertThat(collector.failure()).isPresent();
            HttpResponse<String> answer = get(health.baseUri().resolve(HealthServer.HEALTH_PATH));
            assertThat(answer.statusCode()).isEqualTo(503);
            // (what it died of depends on where the injected ThreadDeath lands: inside a lock it surfaces as
            // IllegalMonitorStateException, inside the index writer's I/O (an index commit) as Lucene's tragic
            // event; the reason names the pipeline and the throwable either way)
            assertThat(answer.body()).containsAnyOf("pipeline 'logging' died of java.lang.",
                    "pipeline 'logging': the index writer closed itself after an error (java.lang.ThreadDeath)");

            // when: records arrive while it is down, and it is restarted
            sender.send(yaml.logging(), TestRecords.logs("during", 50, "h"));
            try (Collector again = restartAndSendMore(yaml, sender, archive)) {
                assertThat(again.metrics().healthy()).isTrue();
            }
        }
    }

    @Test
    void aLuceneTragicEventFailsTheCollectorWithExitCodeThreeAndARestartRecoversEverythingOnce() throws Exception {
        // given: the collector as its main method runs it
        CollectorYaml yaml = new CollectorYaml(List.of(broker.uri()), dir.resolve("data"), "tragic");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Path config = yaml.write();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> CollectorMain.run(config, false,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
        await().atMost(WAIT).until(() -> out.toString(StandardCharsets.UTF_8).contains(CollectorMain.READY_PREFIX));
        Archive archive = new Archive(yaml.data());
        try (Sender sender = new Sender(broker.uri())) {
            sender.send(yaml.logging(), TestRecords.logs("before", 50, "h"));
            await().atMost(WAIT).until(() -> archive.idCountsInIndex().size() == 50);

            // when: the index directory vanishes under the IndexWriter (a real I/O error: its next
            // segment flush cannot create files), and records keep coming
            Path index = yaml.data().resolve("index");
            Path moved = yaml.data().resolve("index.moved");
            Files.move(index, moved);
            Files.writeString(index, "not a directory");
            sender.send(yaml.logging(), TestRecords.logs("during", 50, "h"));

            // then: the collector stops with exit code 3, naming the index writer
            assertThat(exit.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS))
                    .isEqualTo(CollectorMain.EXIT_FAILED);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("index writer closed itself");

            // when: the operator's restart (the index is back, as after the disk trouble is fixed)
            Files.delete(index);
            Files.move(moved, index);
            restartAndSendMore(yaml, sender, archive).close();
        }
    }

    /**
     * The restart systemd makes, then 50 more records: every record before, during and after the
     * failure (150) is archived, each once, in the files and in the index.
     */
    private static Collector restartAndSendMore(CollectorYaml yaml, Sender sender, Archive archive) throws Exception {
        Collector again = Collector.start(yaml.config(), TestBrokers.WARNINGS);
        sender.send(yaml.logging(), TestRecords.logs("after", 50, "h"));
        await().atMost(WAIT).until(() -> archive.idCountsInIndex().size() == 150);
        assertThat(archive.idCountsInFiles()).hasSize(150);
        assertThat(archive.idCountsInFiles().values()).containsOnly(1);
        assertThat(archive.idCountsInIndex().values()).containsOnly(1);
        return again;
    }

    private static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }
}
