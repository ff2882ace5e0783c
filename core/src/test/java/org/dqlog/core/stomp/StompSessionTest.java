package org.dqlog.core.stomp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.dqlog.core.config.BrokerAddress;
import org.dqlog.core.config.Credentials;
import org.dqlog.testkit.Waits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The session against a scripted server on loopback: a real broker cannot be told to ignore
 * CONNECT, to stop reading while staying alive, or to send a crafted ERROR, so these cases use
 * {@link FakeStompServer}. {@link StompSessionBrokerTest} covers a real ActiveMQ.
 */
class StompSessionTest {

    private static final Duration SAFETY_NET = Waits.CONDITION;
    private static final byte[] BODY = "{}".getBytes(StandardCharsets.UTF_8);

    private final SessionConfig config = SessionConfig.builder()
            .connectTimeout(Duration.ofSeconds(2))
            .heartbeat(Duration.ofSeconds(1))
            .sendTimeout(Duration.ofSeconds(1))
            .disconnectTimeout(Duration.ofSeconds(1))
            .credentials(Credentials.of("alice", "s3cret"))
            .build();
    private final RecordingListener listener = new RecordingListener();
    private FakeStompServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = new FakeStompServer();
    }

    @AfterEach
    void stopServer() throws IOException {
        server.close();
    }

    @Test
    void connectSendsStomp12ConnectWithCredentialsAndHeartbeatAndNegotiatesIntervals() throws Exception {
        // when
        FakeStompServer.Connection c = server.connect(config, listener, "2000,500");

        // then
        assertThat(c.connectFrame.command()).isEqualTo(Frame.CONNECT);
        assertThat(c.connectFrame.headers()).containsEntry("accept-version", "1.2").containsEntry("host", "127.0.0.1")
                .containsEntry("login", "alice").containsEntry("passcode", "s3cret").containsEntry("heart-beat", "1000,500");
        assertThat(c.session.isOpen()).isTrue();
        assertThat(c.session.server()).isEqualTo("fake/1");
        assertThat(c.session.outgoingHeartbeat()).isEqualTo(Duration.ofSeconds(1)); // max(1000, broker wants 500)
        assertThat(c.session.incomingHeartbeat()).isEqualTo(Duration.ofSeconds(2)); // max(broker can 2000, we want 500)
        assertThat(c.session.silenceDeadline()).isEqualTo(Duration.ofSeconds(4)); // the broker cannot beat faster
        assertThat(c.session.toString()).doesNotContain("s3cret");
        c.session.close();
    }

    @Test
    void connectTimesOutWhenTheServerNeverAnswersConnect() throws Exception {
        // given: a listening socket that accepts (the kernel does) but never answers, like a SIGSTOPped broker
        assertTimeoutPreemptively(SAFETY_NET, () -> {
            // when / then
            assertThatThrownBy(() -> StompSession.open(server.address(), config, listener))
                    .isInstanceOf(SocketTimeoutException.class)
                    .hasMessageContaining("no CONNECTED from tcp://127.0.0.1:" + server.port());
        });
    }

    @Test
    void connectErrorFrameFailsOpenWithTheBrokersMessage() throws Exception {
        // given
        var opening = FakeStompServer.openAsync(server.address(), config, listener);
        FakeStompServer.Peer peer = server.accept();
        peer.read();

        // when
        peer.write(new Frame(Frame.ERROR, Map.of("message", "User name [alice] or password is invalid.")));

        // then
        assertThat(opening).failsWithin(SAFETY_NET).withThrowableOfType(Exception.class)
                .havingCause().isInstanceOf(StompErrorException.class)
                .withMessageContaining("password is invalid");
    }

    @Test
    void silentServerIsDeclaredDeadAfterAboutTwiceTheHeartbeat() throws Exception {
        // given: the server promises heart-beats every second, then sends nothing
        FakeStompServer.Connection c = server.connect(config, listener, "1000,0");

        // when
        Receipt pending = c.session.sendWithReceipt("/queue/x", Map.of(), BODY);

        // then
        await().atMost(Waits.CONDITION).until(listener.closed::isDone);
        assertThat(listener.cause()).isInstanceOf(SocketTimeoutException.class)
                .hasMessageContaining("heart-beats missed");
        assertThat(c.session.isOpen()).isFalse();
        assertThat(pending.isDone()).isTrue();
        assertThat(pending.failure()).isSameAs(listener.cause());
        assertThat(listener.closedOnThread).startsWith("dqlog-stomp-reader-127.0.0.1:");
    }

    @Test
    void serverHeartbeatsKeepAnIdleSessionOpen() throws Exception {
        // given
        FakeStompServer.Connection c = server.connect(config, listener, "1000,0");
        ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor();
        beats.scheduleAtFixedRate(() -> {
            try {
                c.peer.writeRaw("\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, 0, 300, TimeUnit.MILLISECONDS);

        // then: well past the 2 s deadline, still open
        await().during(Duration.ofSeconds(4)).atMost(Waits.CONDITION).until(c.session::isOpen);
        beats.shutdownNow();
        c.session.close();
    }

    @Test
    void idleSessionSendsHeartbeatEols() throws Exception {
        // given: the server wants a heart-beat every second
        FakeStompServer.Connection c = server.connect(config, listener, "0,1000");

        // when: nothing is sent by the application for a while
        int eols = 0;
        for (int i = 0; i < 3; i++) {
            int b = c.peer.readByte(); // bounded by the peer's read timeout
            if (b == '\n') {
                eols++;
            }
        }

        // then
        assertThat(eols).isEqualTo(3);
        assertThat(c.session.isOpen()).isTrue();
        c.session.close();
    }

    @Test
    void receiptCompletesWhenTheServerConfirms() throws Exception {
        // given
        FakeStompServer.Connection c = server.connect(config, listener, "0,0");

        // when
        Receipt receipt = c.session.sendWithReceipt("/queue/x", Map.of("persistent", "true"), BODY);
        Frame send = c.peer.read();
        c.peer.receipt(send.header("receipt"));

        // then
        assertThat(receipt.await(Waits.CONDITION)).isTrue();
        assertThat(receipt.isConfirmed()).isTrue();
        assertThat(send.headers()).containsEntry("destination", "/queue/x").containsEntry("persistent", "true")
                .containsEntry("receipt", receipt.id());
        assertThat(send.bodyAsString()).isEqualTo("{}");
        c.session.close();
    }

    @Test
    void errorFrameFailsEveryPendingReceiptAndIsReportedOnce() throws Exception {
        // given
        FakeStompServer.Connection c = server.connect(config, listener, "0,0");
        Receipt first = c.session.sendWithReceipt("/queue/x", Map.of(), BODY);
        Receipt second = c.session.sendWithReceipt("/queue/x", Map.of(), BODY);

        // when
        c.peer.write(new Frame(Frame.ERROR, Map.of("message", "quota exceeded", "receipt-id", second.id()),
                "details".getBytes(StandardCharsets.UTF_8)));

        // then
        assertThat(first.await(Waits.CONDITION)).isFalse();
        assertThat(second.await(Waits.CONDITION)).isFalse();
        assertThat(first.failure()).isInstanceOf(StompErrorException.class).hasMessageContaining("quota exceeded");
        assertThat(((StompErrorException) second.failure()).receiptId()).isEqualTo(second.id());
        await().atMost(Waits.CONDITION).until(listener.closed::isDone);
        assertThat(listener.cause()).isSameAs(first.failure());
        assertThat(listener.closedCalls).hasValue(1);
        assertThatThrownBy(() -> c.session.send("/queue/x", Map.of(), BODY))
                .isInstanceOf(IOException.class).hasMessageContaining("closed").hasMessageContaining("quota exceeded");
    }

    @Test
    void writeBlockedByAServerThatNeverReadsTimesOut() throws Exception {
        // given: heart-beats off, so only the write watchdog can end this
        FakeStompServer.Connection c = server.connect(config, listener, "0,0");
        byte[] big = new byte[1024 * 1024];

        // when / then: the socket buffers fill, then one write blocks until the watchdog closes the socket
        assertTimeoutPreemptively(SAFETY_NET, () -> {
            assertThatThrownBy(() -> {
                for (int i = 0; i < 1000; i++) {
                    c.session.send("/queue/x", Map.of(), big);
                }
            }).isInstanceOf(IOException.class).hasMessageContaining("blocked longer than PT1S");
        });
        assertThat(listener.closed).succeedsWithin(SAFETY_NET).isInstanceOf(SocketTimeoutException.class);
    }

    @Test
    void messagesGoToTheListenerOnTheReaderThreadAndAckUsesTheAckHeader() throws Exception {
        // given
        FakeStompServer.Connection c = server.connect(config, listener, "0,0");
        c.session.subscribe("sub-1", "/queue/x", AckMode.CLIENT_INDIVIDUAL,
                Map.of("selector", "level = 'ERROR'", "activemq.prefetchSize", "500"));
        Frame subscribe = c.peer.read();

        // when
        c.peer.write(new Frame(Frame.MESSAGE, Map.of("subscription", "sub-1", "message-id", "m1", "destination",
                "/queue/x", "ack", "a:1"), BODY));
        Frame message = listener.messages.poll(10, TimeUnit.SECONDS);
        c.session.ack(message);
        c.session.unsubscribe("sub-1");

        // then
        assertThat(subscribe.headers()).containsEntry("id", "sub-1").containsEntry("destination", "/queue/x")
                .containsEntry("ack", "client-individual").containsEntry("selector", "level = 'ERROR'")
                .containsEntry("activemq.prefetchSize", "500");
        assertThat(message.header("ack")).isEqualTo("a:1");
        assertThat(listener.messageThread).isEqualTo("dqlog-stomp-reader-127.0.0.1:" + server.port());
        Frame ack = c.peer.read();
        assertThat(ack.command()).isEqualTo(Frame.ACK);
        assertThat(ack.headers()).containsExactly(Map.entry("id", "a:1"));
        assertThat(c.peer.read().command()).isEqualTo(Frame.UNSUBSCRIBE);
        c.session.close();
    }

    @Test
    void closeSendsDisconnectWaitsForItsReceiptAndReportsNoFailure() throws Exception {
        // given
        FakeStompServer.Connection c = server.connect(config, listener, "0,0");
        Thread answering = new Thread(() -> {
            try {
                Frame disconnect = c.peer.read();
                if (disconnect.command().equals(Frame.DISCONNECT)) {
                    c.peer.receipt(disconnect.header("receipt"));
                }
            } catch (IOException e) {
                // the assertion below fails instead
            }
        }, "test-disconnect");
        answering.start();

        // when
        c.session.close();
        c.session.close();

        // then
        assertThat(listener.closed).succeedsWithin(SAFETY_NET).isNull();
        assertThat(listener.closedCalls).hasValue(1);
        assertThat(c.session.isOpen()).isFalse();
        assertThat(c.session.failure()).isNull();
        assertThatThrownBy(() -> c.session.send("/queue/x", Map.of(), BODY)).isInstanceOf(IOException.class);
    }

    @Test
    void closeIsBoundedWhenTheServerNeverConfirmsDisconnect() throws Exception {
        // given: the server reads nothing and answers nothing
        FakeStompServer.Connection c = server.connect(config, listener, "0,0");
        Receipt pending = c.session.sendWithReceipt("/queue/x", Map.of(), BODY);

        // when / then
        assertTimeoutPreemptively(SAFETY_NET, c.session::close);
        assertThat(pending.isDone()).isTrue();
        assertThat(pending.isConfirmed()).isFalse();
        assertThat(listener.closed).succeedsWithin(SAFETY_NET).isNull();
    }

    @Test
    void connectionDroppedByTheServerFailsPendingReceiptsAtOnce() throws Exception {
        // given
        FakeStompServer.Connection c = server.connect(config, listener, "0,0");
        Receipt pending = c.session.sendWithReceipt("/queue/x", Map.of(), BODY);

        // when
        c.peer.socket.close();

        // then
        assertThat(pending.await(Waits.CONDITION)).isFalse();
        assertThat(pending.failure()).isInstanceOf(IOException.class).hasMessageContaining("lost");
        assertThat(listener.closed).succeedsWithin(SAFETY_NET).isNotNull();
    }

    @Test
    void tcpConnectToAnUnreachablePortFailsNamingTheBroker() throws Exception {
        // given: a port nobody listens on
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        BrokerAddress nowhere = BrokerAddress.of(BrokerAddress.Scheme.TCP, "127.0.0.1", port);

        // when / then
        assertThatThrownBy(() -> StompSession.open(nowhere, config, listener)).isInstanceOf(IOException.class);
        assertThat(listener.closedCalls).hasValue(0);
    }
}
