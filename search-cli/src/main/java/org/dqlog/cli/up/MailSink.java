package org.dqlog.cli.up;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.dqlog.core.FileModes;

/**
 * A local SMTP server for {@code ./dqlog up}: accepts every mail for every recipient and saves it
 * as an {@code .eml} file in a folder, so that a panic mail can be opened without a real mail
 * server. A minimal RFC 5321 receiver (see {@link SmtpConversation}): no relaying, no TLS, no
 * AUTH, meant for 127.0.0.1 only.
 *
 * <p>Bounded: at most {@link #DEFAULT_MAX_CONNECTIONS} conversations at once (more are told
 * {@code 421} and closed), every read waits at most {@link #DEFAULT_IDLE_TIMEOUT}, and lines and
 * messages have the size limits of {@link SmtpConversation}.
 *
 * <p>Thread-safe: one acceptor thread, one thread per conversation; {@link #close()} may be called
 * from any thread, more than once.
 */
public final class MailSink implements AutoCloseable {

    /** The port {@code ./dqlog up} tries first: {@value}. */
    public static final int DEFAULT_PORT = 2525;
    /** Conversations at once: {@value}. */
    public static final int DEFAULT_MAX_CONNECTIONS = 8;
    /** Longest silence of a client before the sink hangs up: 60 s (RFC 5321 suggests minutes; a local client never pauses). */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    /** How long {@link #close()} waits for conversations to end after their sockets are closed. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final ServerSocket server;
    private final MailFolder folder;
    private final Duration idleTimeout;
    private final Semaphore slots = new Semaphore(DEFAULT_MAX_CONNECTIONS);
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closed;

    private MailSink(ServerSocket server, MailFolder folder, Duration idleTimeout) {
        this.server = server;
        this.folder = folder;
        this.idleTimeout = idleTimeout;
        this.acceptor = new Thread(this::acceptLoop, "dqlog-mail-sink-accept");
        this.acceptor.setDaemon(true);
    }

    /**
     * Listens on {@code bind:port} ({@code port} 0: any free port) and saves mails under {@code folder}
     * (created if missing).
     *
     * @throws IOException when the port is taken or the folder cannot be created
     */
    public static MailSink start(InetAddress bind, int port, Path folder) throws IOException {
        return start(bind, port, folder, DEFAULT_IDLE_TIMEOUT);
    }

    /** As {@link #start(InetAddress, int, Path)} with another idle timeout (tests). */
    public static MailSink start(InetAddress bind, int port, Path folder, Duration idleTimeout) throws IOException {
        FileModes.createDirectories(folder);
        ServerSocket server = new ServerSocket();
        try {
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(bind, port), 16);
        } catch (IOException e) {
            server.close();
            throw e;
        }
        MailSink sink = new MailSink(server, new MailFolder(folder.toAbsolutePath().normalize()), idleTimeout);
        sink.acceptor.start();
        return sink;
    }

    /** The bound port. */
    public int port() {
        return server.getLocalPort();
    }

    /** {@code host:port} as a mail client is configured with it. */
    public String address() {
        return server.getInetAddress().getHostAddress() + ":" + port();
    }

    /** The absolute folder the {@code .eml} files go to. */
    public Path folder() {
        return folder.path();
    }

    /** Mails saved since start. */
    public long mailsSaved() {
        return folder.saved();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue; // a client that vanished during the handshake; keep serving the others
            }
            if (!slots.tryAcquire()) {
                refuse(socket);
                continue;
            }
            open.add(socket);
            Thread conversation = new Thread(() -> converse(socket), "dqlog-mail-sink-" + socket.getPort());
            conversation.setDaemon(true);
            conversation.start();
        }
    }

    private void converse(Socket socket) {
        try (socket) {
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, idleTimeout.toMillis()));
            new SmtpConversation(socket.getInputStream(), socket.getOutputStream(),
                    socket.getInetAddress().getHostAddress(), folder).run();
        } catch (IOException e) {
            // the client hung up, timed out or the sink is closing: nothing was half-saved (files appear atomically)
        } finally {
            open.remove(socket);
            slots.release();
        }
    }

    private static void refuse(Socket socket) {
        try (socket) {
            socket.setSoTimeout(1000);
            socket.getOutputStream().write(SmtpConversation.TOO_BUSY);
            socket.getOutputStream().flush();
        } catch (IOException e) {
            // it is being turned away anyway
        }
    }

    /** Stops accepting, hangs up on every conversation, and waits briefly for them to end. Never throws. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing is all that was wanted
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException e) {
                // see above
            }
        }
        try {
            acceptor.join(CLOSE_WAIT.toMillis());
            if (slots.tryAcquire(DEFAULT_MAX_CONNECTIONS, CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                slots.release(DEFAULT_MAX_CONNECTIONS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "MailSink[" + (server.isBound() ? address() : "unbound") + " -> " + folder.path() + "]";
    }
}
