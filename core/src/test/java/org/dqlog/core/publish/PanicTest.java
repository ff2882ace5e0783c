package org.dqlog.core.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.dqlog.core.Destinations;
import org.dqlog.core.Level;
import org.dqlog.core.LogRecord;
import org.dqlog.core.MessageHeaders;
import org.dqlog.core.Panic;
import org.dqlog.core.ProcessInfo;
import org.dqlog.core.ProgressMessage;
import org.dqlog.core.config.ClientSettings;
import org.dqlog.core.stomp.Frame;
import org.dqlog.core.testing.RecordingStatus;
import org.dqlog.testkit.BrokerProcess;
import org.dqlog.testkit.ProcessReaper;
import org.dqlog.testkit.Waits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@link Panic} and {@link ProgressPublisher} against a real broker. */
@ExtendWith(ProcessReaper.class)
class PanicTest {

    private static final Duration WAIT = Waits.CONDITION;

    @TempDir
    Path temp;

    @AfterEach
    void clearSettings() {
        System.clearProperty("dqlog.brokers");
        System.clearProperty("dqlog.app");
    }

    @Test
    void panicConfiguredBySystemPropertiesArrivesOnBothQueuesWithTheFieldsOfThePythonTooling() throws Exception {
        // given
        BrokerProcess broker = BrokerProcess.start(temp.resolve("broker"));
        System.setProperty("dqlog.brokers", broker.uri());
        System.setProperty("dqlog.app", "panic-test");

        // when
        boolean plain = Panic.panic("nightly merge failed");
        boolean withCause = Panic.panic("cannot read run 261070", new IOException("disk gone"));

        // then
        assertThat(plain).isTrue();
        assertThat(withCause).isTrue();
        try (QueueReader panics = QueueReader.open(broker, Destinations.PANIC);
             QueueReader logging = QueueReader.open(broker, Destinations.LOGGING)) {
            await().atMost(WAIT).until(() -> panics.ids().size() == 2 && logging.ids().equals(panics.ids()));
            for (Frame frame : panics.frames()) {
                assertThat(frame.headers()).containsEntry(MessageHeaders.MSG_TYPE, "Panic").containsEntry("persistent", "true");
            }
            LogRecord first = byMessage(panics.records(), "nightly merge failed");
            assertThat(first.panic()).isTrue();
            assertThat(first.type()).isEqualTo(LogRecord.TYPE_PANIC);
            assertThat(first.level()).isEqualTo(Level.FATAL);
            assertThat(first.app()).isEqualTo("panic-test");
            assertThat(first.logger()).isEqualTo(PanicTest.class.getName());
            assertThat(first.cwd()).isEqualTo(ProcessInfo.workingDirectory());
            assertThat(first.command()).isNotBlank();
            assertThat(first.arguments()).isNotNull();
            assertThat(first.time()).isNotNull();
            assertThat(first.usrtime()).isNotBlank();
            assertThat(first.traceback()).anyMatch(line -> line.contains(
                    "panicConfiguredBySystemPropertiesArrivesOnBothQueuesWithTheFieldsOfThePythonTooling"));
            assertThat(first.traceback().get(first.traceback().size() - 1)).as("innermost frame last, as in Python")
                    .contains(PanicTest.class.getName());
            LogRecord second = byMessage(panics.records(), "cannot read run 261070");
            assertThat(second.exception().className()).isEqualTo(IOException.class.getName());
            assertThat(second.exception().message()).isEqualTo("disk gone");
            assertThat(second.traceback().get(0)).contains("java.io.IOException: disk gone");
        }
    }

    @Test
    void panicWithNoBrokerReachableReturnsFalseWithinItsTimeout() throws Exception {
        // given
        ClientSettings settings = ClientSettings.of(Map.of("dqlog.brokers", "tcp://127.0.0.1:" + TestRecords.freePort()),
                Map.of());
        RecordingStatus status = new RecordingStatus();

        // when
        boolean sent = Panic.send(Panic.newPanic("nobody listens", settings).build(), settings, Duration.ofSeconds(2), status);

        // then
        assertThat(sent).isFalse();
        assertThat(status.errors()).anyMatch(e -> e.contains("nobody listens") && e.contains("was not sent"));
        if (System.getenv("DQLOG_BROKERS") == null) {
            assertThat(Panic.panic("no brokers configured at all")).isFalse();
        }
    }

    @Test
    void progressMessagesGoToTheTopicWithTheirTypeAndOwnHeaders() throws Exception {
        // given: a listener on the topic (a topic keeps nothing for absent listeners)
        BrokerProcess broker = BrokerProcess.start(temp.resolve("broker"));
        ClientSettings settings = ClientSettings.of(Map.of("dqlog.brokers", broker.uri()), Map.of());
        try (QueueReader listener = QueueReader.open(broker, Destinations.PROGRESS);
             Publisher publisher = Publisher.fromSettings(settings, new RecordingStatus())) {
            ProgressPublisher progress = new ProgressPublisher(publisher);

            // when
            progress.publish(ProgressMessage.of(ProgressMessage.TYPE_RUN_START, "{\"run\":261070}", Map.of("run", "261070")));
            progress.publish(List.of(ProgressMessage.of(ProgressMessage.TYPE_RUN_END, "{\"run\":261070,\"ok\":true}")));

            // then
            await().atMost(WAIT).until(() -> listener.frames().size() == 2);
            Frame start = listener.frames().get(0);
            assertThat(start.headers()).containsEntry(MessageHeaders.MSG_TYPE, "RunStart").containsEntry("run", "261070")
                    .containsEntry(MessageHeaders.MSG_CLASS, "DQ").containsEntry("persistent", "true");
            assertThat(start.bodyAsString()).isEqualTo("{\"run\":261070}");
            assertThat(listener.frames().get(1).headers()).containsEntry(MessageHeaders.MSG_TYPE, "RunEnd");
        }
    }

    private static LogRecord byMessage(List<LogRecord> records, String message) {
        return records.stream().filter(r -> message.equals(r.message())).findFirst()
                .orElseThrow(() -> new AssertionError("no panic '" + message + "' in " + records));
    }
}
