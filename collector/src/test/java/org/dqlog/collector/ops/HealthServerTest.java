package org.dqlog.collector.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.dqlog.collector.Json;
import org.dqlog.core.testing.MutableClock;
import org.dqlog.core.testing.RecordingStatus;
import org.dqlog.testkit.Waits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HealthServerTest {

    private static final String WEIRD_BROKER = "tcp://odd\"name\\x\n:61613";

    @TempDir
    Path data;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T12:00:00Z"));
    private final RecordingStatus status = new RecordingStatus();
    private final CollectorMetrics metrics = new CollectorMetrics(clock);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Waits.CONDITION).build();
    private HealthServer server;

    @BeforeEach
    void start() throws IOException {
        server = HealthServer.start(new InetSocketAddress("127.0.0.1", 0), metrics, status);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(server.baseUri().resolve(path)).timeout(Waits.CONDITION).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    @Test
    void reportsTheBoundPort() {
        assertThat(server.port()).isPositive();
        assertThat(server.baseUri()).isEqualTo(URI.create("http://127.0.0.1:" + server.port() + "/"));
        assertThat(status.messages()).singleElement().asString()
                .contains("http://127.0.0.1:" + server.port() + "/health");
    }

    @Test
    void healthIs503WhileNoBrokerIsUp() throws Exception {
        // given
        metrics.brokerDown("tcp://mq1:61613", "connection refused");

        // when
        HttpResponse<String> response = get("/health");

        // then
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        Map<String, Object> body = Json.object(response.body());
        assertThat(body).containsEntry("status", "unavailable").containsEntry("brokersUp", 0L);
        assertThat(body.get("problems")).isEqualTo(List.of("not consuming from any broker"));
        assertThat(body.get("brokers")).isEqualTo(List.of(Map.of("broker", "tcp://mq1:61613", "up", false,
                "since", "2026-11-26T12:00:00.000000Z", "reason", "connection refused")));
    }

    @Test
    void healthIs200WithOneBrokerUpAndRoomOnDisk() throws Exception {
        // given
        metrics.brokerDown("tcp://mq1:61613", "connection refused");
        metrics.brokerUp("tcp://mq2:61613");
        metrics.bindDisk(DiskSpaceGuard.forDirectory(data, 0, clock, Duration.ofSeconds(1), status, null));

        // when
        HttpResponse<String> response = get("/health");

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, Object> body = Json.object(response.body());
        assertThat(body).containsEntry("status", "ok").containsEntry("brokersUp", 1L);
        assertThat(body.get("problems")).isEqualTo(List.of());
        @SuppressWarnings("unchecked")
        Map<String, Object> disk = (Map<String, Object>) body.get("disk");
        assertThat(disk).containsEntry("hasRoom", true).containsEntry("minFreeBytes", 0L);
        assertThat((Long) disk.get("freeBytes")).isPositive();
    }

    @Test
    void healthIs503WhenTheDiskIsFullEvenWithABrokerUp() throws Exception {
        // given
        metrics.brokerUp("tcp://mq2:61613");
        metrics.bindDisk(DiskSpaceGuard.forDirectory(data, Long.MAX_VALUE, clock, Duration.ofSeconds(1), status, null));

        // when
        HttpResponse<String> response = get("/health");

        // then
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(Json.object(response.body()).get("problems"))
                .isEqualTo(List.of("disk full: below minFreeBytes, not acknowledging"));
    }

    @Test
    void metricsAreValidExpositionTextWithTheCurrentValues() throws Exception {
        // given
        metrics.brokerUp("tcp://mq1:61613 (10.0.0.7)");
        metrics.brokerDown(WEIRD_BROKER, null);
        metrics.recordsReceived(7);
        metrics.recordsReceived(5);
        metrics.recordsArchived(10);
        metrics.duplicates(2);
        metrics.panicsReceived(3);
        metrics.indexCommitted(Instant.parse("2026-11-26T11:59:59.500Z"));
        DeadLetters letters = DeadLetters.open(data.resolve("deadletter"), 1024, status);
        letters.write(new DeadLetter(clock.instant(), "tcp://mq1:61613", "/queue/atlas.dqm.logging", Map.of(),
                DeadLetterReason.OVERSIZE, null, new byte[2000]));
        letters.close();
        metrics.bindDeadLetters(letters);
        metrics.bindMail(() -> 4, () -> 1, () -> 2);
        metrics.bindDisk(() -> false, () -> 12345, () -> 99999);

        // when
        HttpResponse<String> response = get("/metrics");

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        Exposition e = Exposition.parse(response.body());
        String p = CollectorMetrics.PREFIX;
        assertThat(e.value(p + "broker_up", "broker", "tcp://mq1:61613 (10.0.0.7)")).isEqualTo("1");
        assertThat(e.value(p + "broker_up", "broker", WEIRD_BROKER)).isEqualTo("0");
        assertThat(response.body()).contains("broker=\"tcp://odd\\\"name\\\\x\\n:61613\"");
        assertThat(e.value(p + "brokers_up")).isEqualTo("1");
        assertThat(e.value(p + "records_received_total")).isEqualTo("12");
        assertThat(e.value(p + "records_archived_total")).isEqualTo("10");
        assertThat(e.value(p + "records_duplicate_total")).isEqualTo("2");
        assertThat(e.value(p + "panics_received_total")).isEqualTo("3");
        assertThat(e.value(p + "dead_letters_total", "reason", "oversize")).isEqualTo("1");
        assertThat(e.value(p + "dead_letters_total", "reason", "undecodable")).isEqualTo("0");
        assertThat(e.value(p + "dead_letters_total", "reason", "missing-fields")).isEqualTo("0");
        assertThat(e.value(p + "panic_mails_sent_total")).isEqualTo("4");
        assertThat(e.value(p + "panic_mails_pending")).isEqualTo("1");
        assertThat(e.value(p + "panic_mails_failed_total")).isEqualTo("2");
        assertThat(Double.parseDouble(e.value(p + "last_index_commit_timestamp_seconds")))
                .isEqualTo(Instant.parse("2026-11-26T11:59:59.500Z").toEpochMilli() / 1000.0);
        assertThat(e.value(p + "disk_free_bytes")).isEqualTo("12345");
        assertThat(e.value(p + "disk_min_free_bytes")).isEqualTo("99999");
        assertThat(e.value(p + "disk_full")).isEqualTo("1");
        assertThat(e.has(p + "records_per_second")).isTrue();
        e.types.forEach((name, type) -> {
            assertThat(name).startsWith(p);
            assertThat(name.endsWith("_total")).as(name + " is a " + type).isEqualTo(type.equals("counter"));
        });
    }

    @Test
    void unboundPartsAreLeftOutOfTheMetrics() throws Exception {
        // when: no mail, no disk guard, no dead letters bound
        Exposition e = Exposition.parse(get("/metrics").body());

        // then
        String p = CollectorMetrics.PREFIX;
        assertThat(e.has(p + "panic_mails_sent_total")).isFalse();
        assertThat(e.has(p + "disk_full")).isFalse();
        assertThat(e.has(p + "dead_letters_total")).isFalse();
        assertThat(e.value(p + "last_index_commit_timestamp_seconds")).isEqualTo("0");
    }

    @Test
    void unknownPathIs404AndOtherMethodsAre405() throws Exception {
        assertThat(get("/healthz").statusCode()).isEqualTo(404);
        HttpRequest post = HttpRequest.newBuilder(server.baseUri().resolve("/health"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).timeout(Waits.CONDITION).build();
        HttpResponse<String> response = http.send(post, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("GET, HEAD");
    }
}
