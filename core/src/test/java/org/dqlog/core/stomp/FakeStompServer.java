package org.dqlog.core.stomp;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.dqlog.core.config.BrokerAddress;
import org.dqlog.testkit.Waits;

/**
 * A scripted STOMP "broker" on a loopback ServerSocket: the test reads what the session sent and
 * decides what to answer (or to stay silent, or to stop reading). It stands in for the broker
 * only where a real one cannot misbehave on demand.
 */
final class FakeStompServer implements AutoCloseable {

    static final Duration IO_TIMEOUT = Waits.CONDITION;

    private final ServerSocket server;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();

    FakeStompServer() throws IOException {
        this(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
    }

    FakeStompServer(ServerSocket server) {
        this.server = server;
    }

    BrokerAddress address() {
        return BrokerAddress.of(BrokerAddress.Scheme.TCP, "127.0.0.1", server.getLocalPort());
    }

    int port() {
        return server.getLocalPort();
    }

    Peer accept() throws IOException {
        server.setSoTimeout((int) IO_TIMEOUT.toMillis());
        Socket socket = server.accept();
        accepted.add(socket);
        return new Peer(socket);
    }

    /** Opens a session to this server, answers its CONNECT with {@code heartBeat}, and returns both ends. */
    Connection connect(SessionConfig config, SessionListener listener, String heartBeat) throws Exception {
        return connect(address(), config, listener, heartBeat);
    }

    Connection connect(BrokerAddress target, SessionConfig config, SessionListener listener, String heartBeat)
            throws Exception {
        CompletableFuture<StompSession> opening = openAsync(target, config, listener);
        Peer peer = accept();
        Frame connect = peer.read();
        peer.write(new Frame(Frame.CONNECTED, Map.of("version", "1.2", "heart-beat", heartBeat, "server", "fake/1")));
        StompSession session = opening.get(IO_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return new Connection(session, peer, connect);
    }

    static CompletableFuture<StompSession> openAsync(BrokerAddress target, SessionConfig config, SessionListener listener) {
        CompletableFuture<StompSession> opening = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                opening.complete(StompSession.open(target, config, listener));
            } catch (Throwable e) {
                opening.completeExceptionally(e);
            }
        }, "test-open");
        t.setDaemon(true);
        t.start();
        return opening;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : accepted) {
            s.close();
        }
    }

    static final class Connection {
        final StompSession session;
        final Peer peer;
        final Frame connectFrame;

        Connection(StompSession session, Peer peer, Frame connectFrame) {
            this.session = session;
            this.peer = peer;
            this.connectFrame = connectFrame;
        }
    }

    /** The server's end of one connection. */
    static final class Peer {
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        final FrameCodec codec = new FrameCodec();

        Peer(Socket socket) throws IOException {
            this.socket = socket;
            socket.setSoTimeout((int) IO_TIMEOUT.toMillis());
            this.in = new BufferedInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        Frame read() throws IOException {
            return codec.read(in);
        }

        int readByte() throws IOException {
            return in.read();
        }

        synchronized void write(Frame frame) throws IOException {
            codec.write(frame, out);
            out.flush();
        }

        synchronized void writeRaw(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        void receipt(String id) throws IOException {
            write(new Frame(Frame.RECEIPT, Map.of("receipt-id", id)));
        }
    }
}
