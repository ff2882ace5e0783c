package org.dqlog.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy on {@code 127.0.0.1} (a free port) in front of a real server, that holds back the
 * bytes of each direction for a configurable time: a broker whose receipts come late
 * ({@link #delayToClient}), or whose socket reads lag ({@link #delayToServer}), without mocking it.
 * {@link #pause()} stops forwarding in both directions (connections stay open, as behind a
 * frozen network) until {@link #resume()}.
 *
 * <p>Each connection uses four threads (a reader and a writer per direction) and at most
 * {@value #CHUNKS_PER_DIRECTION} chunks of {@value #CHUNK_BYTES} bytes in flight per direction
 * (then the reader blocks, so TCP pushes back); at most {@link #maxConnections} connections are
 * open, more are refused. {@link #close()} closes every socket and joins every thread.
 *
 * <p>Thread-safe: delays, pause and resume may be changed from any thread while bytes flow; a
 * new delay applies to bytes read after the change.
 */
public final class DelayProxy implements AutoCloseable {

    static final int CHUNK_BYTES = 16 * 1024;
    static final int CHUNKS_PER_DIRECTION = 256;
    public static final int DEFAULT_MAX_CONNECTIONS = 16;
    private static final long JOIN_MILLIS = 10_000;

    private final InetSocketAddress target;
    private final int maxConnections;
    private final ServerSocket server;
    private final Thread acceptor;
    private final List<Link> links = new ArrayList<>();
    private volatile long toClientNanos;
    private volatile long toServerNanos;
    private boolean paused;
    private boolean closed;

    private DelayProxy(InetSocketAddress target, int maxConnections) throws IOException {
        this.target = target;
        this.maxConnections = maxConnections;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "delay-proxy-accept-" + server.getLocalPort());
        acceptor.setDaemon(true);
    }

    /** A proxy in front of {@code 127.0.0.1:targetPort}, forwarding without delay until told otherwise. */
    public static DelayProxy to(int targetPort) throws IOException {
        return to(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), DEFAULT_MAX_CONNECTIONS);
    }

    public static DelayProxy to(InetSocketAddress target, int maxConnections) throws IOException {
        DelayProxy proxy = new DelayProxy(target, maxConnections);
        proxy.acceptor.start();
        return proxy;
    }

    public int port() {
        return server.getLocalPort();
    }

    /** {@code tcp://127.0.0.1:PORT}, the form the appenders and core take. */
    public String uri() {
        return "tcp://127.0.0.1:" + port();
    }

    /** Holds back bytes from the server to the client (e.g. a broker's RECEIPT frames) by {@code delay}. */
    public DelayProxy delayToClient(Duration delay) {
        toClientNanos = delay.toNanos();
        return this;
    }

    /** Holds back bytes from the client to the server by {@code delay}. */
    public DelayProxy delayToServer(Duration delay) {
        toServerNanos = delay.toNanos();
        return this;
    }

    /** Stops forwarding in both directions; connections stay open and new ones are accepted but silent. */
    public synchronized void pause() {
        paused = true;
    }

    /** Forwards again what was held back during {@link #pause()}, with the configured delays. */
    public synchronized void resume() {
        paused = false;
        notifyAll();
    }

    /** Connections open now. */
    public synchronized int openConnections() {
        links.removeIf(Link::isDone);
        return links.size();
    }

    /** Closes the listening socket and every connection, then joins every thread. Idempotent. */
    @Override
    public void close() {
        List<Link> toClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            paused = false;
            notifyAll();
            toClose = new ArrayList<>(links);
        }
        closeQuietly(server);
        toClose.forEach(Link::close);
        try {
            acceptor.join(JOIN_MILLIS);
            for (Link link : toClose) {
                link.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "DelayProxy[" + uri() + " -> " + target + ", to client " + Duration.ofNanos(toClientNanos)
                + ", to server " + Duration.ofNanos(toServerNanos) + "]";
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            Link link = null;
            synchronized (this) {
                links.removeIf(Link::isDone);
                if (!closed && links.size() < maxConnections) {
                    link = new Link(client);
                    links.add(link);
                }
            }
            if (link == null) {
                closeQuietly(client);
            } else {
                link.start();
            }
        }
    }

    /** Blocks while paused; false once the proxy is closed. */
    private synchronized boolean awaitForwarding() throws InterruptedException {
        while (paused && !closed) {
            wait();
        }
        return !closed;
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }

    /** A chunk of bytes and when it may be written. */
    private record Chunk(byte[] bytes, long dueNanos) {
        static final Chunk END = new Chunk(new byte[0], 0);
    }

    /** One client connection and its connection to the target. */
    private final class Link {
        private final Socket client;
        private final Socket upstream = new Socket();
        private final List<Thread> threads = new ArrayList<>();

        Link(Socket client) {
            this.client = client;
        }

        void start() {
            try {
                upstream.connect(target, 10_000);
                upstream.setTcpNoDelay(true);
                client.setTcpNoDelay(true);
            } catch (IOException e) {
                close();
                return;
            }
            direction("to-server", client, upstream, true);
            direction("to-client", upstream, client, false);
            threads.forEach(Thread::start);
        }

        private void direction(String name, Socket from, Socket to, boolean toServer) {
            BlockingQueue<Chunk> chunks = new ArrayBlockingQueue<>(CHUNKS_PER_DIRECTION);
            threads.add(daemon("delay-proxy-read-" + name, () -> read(from, chunks, toServer)));
            threads.add(daemon("delay-proxy-write-" + name, () -> write(chunks, to)));
        }

        private void read(Socket from, BlockingQueue<Chunk> chunks, boolean toServer) {
            byte[] buffer = new byte[CHUNK_BYTES];
            try (InputStream in = from.getInputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    long delay = toServer ? toServerNanos : toClientNanos;
                    chunks.put(new Chunk(Arrays.copyOf(buffer, n), System.nanoTime() + delay));
                }
            } catch (IOException | InterruptedException e) {
                // closed: end this direction
            }
            try {
                chunks.put(Chunk.END);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }

        private void write(BlockingQueue<Chunk> chunks, Socket to) {
            try (OutputStream out = to.getOutputStream()) {
                while (true) {
                    Chunk chunk = chunks.take();
                    if (chunk == Chunk.END) {
                        break;
                    }
                    long wait = chunk.dueNanos - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    if (!awaitForwarding()) {
                        break;
                    }
                    out.write(chunk.bytes);
                    out.flush();
                }
            } catch (SocketException e) {
                // the other side went away
            } catch (IOException | InterruptedException e) {
                // closing
            }
            close(); // one side ended: end both, as a real connection would
        }

        private Thread daemon(String name, Runnable body) {
            Thread t = new Thread(body, name + "-" + client.getPort());
            t.setDaemon(true);
            return t;
        }

        boolean isDone() {
            return client.isClosed() && threads.stream().noneMatch(Thread::isAlive);
        }

        void close() {
            closeQuietly(client);
            closeQuietly(upstream);
            threads.forEach(Thread::interrupt);
        }

        void join() throws InterruptedException {
            for (Thread t : threads) {
                t.join(JOIN_MILLIS);
            }
        }
    }
}
