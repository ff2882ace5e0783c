package org.dqlog.core.stomp;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import org.dqlog.core.config.BrokerAddress;

/**
 * One STOMP 1.2 connection to one broker, over a blocking {@link Socket} or {@link SSLSocket}.
 *
 * <p>Every wait is bounded (see {@link SessionConfig}): {@link #open} fails after the connect
 * timeout; each write is watched and the socket closed when it blocks longer than the send timeout
 * (a socket write can otherwise block forever on a full TCP window); the broker must send something
 * (a frame or a heart-beat) within twice the configured heart-beat interval (it is asked to beat at
 * half that interval) or the session is declared dead, which is how a SIGSTOPped broker is noticed; {@link #close()} waits for the
 * DISCONNECT receipt at most the disconnect timeout. Heart-beats are sent when the session has
 * written nothing for half the negotiated interval. TLS verifies the broker's host name.
 *
 * <p>Threads: one reader thread {@code dqlog-stomp-reader-HOST:PORT} reads all frames and calls the
 * {@link SessionListener}; timer threads {@code dqlog-stomp-timer-HOST:PORT} send heart-beats and
 * watch writes. All are daemon threads. The first failure fails every pending {@link Receipt} at
 * once and is reported to the listener once; nothing is ever printed or logged.
 *
 * <p>Thread-safe: any thread may send, subscribe, ack or close; writes are serialized, and a
 * caller waiting for another caller's write also gives up after the send timeout. This class never
 * sends NACK (ActiveMQ dead-letters a NACKed message at once); to have a message redelivered, leave
 * it unacknowledged and close the session.
 */
public final class StompSession implements AutoCloseable {

    private static final int BUFFER_BYTES = 64 * 1024;
    private static final long MIN_WATCH_TICK_MILLIS = 10;
    private static final long MAX_WATCH_TICK_MILLIS = 250;

    private enum State { OPEN, CLOSING, CLOSED }

    private final BrokerAddress address;
    private final SessionConfig config;
    private final SessionListener listener;
    private final FrameCodec codec;
    private final Socket rawSocket;
    private final InputStream in;
    private final OutputStream out;
    private final Duration outgoingHeartbeat;
    private final Duration incomingHeartbeat;
    private final String server;
    private final String name;

    private final AtomicReference<State> state = new AtomicReference<>(State.OPEN);
    private volatile Throwable failure;
    private final AtomicBoolean closeReported = new AtomicBoolean();
    private final ConcurrentHashMap<String, Receipt> pendingReceipts = new ConcurrentHashMap<>();
    private final AtomicLong receiptCounter = new AtomicLong();

    private final ReentrantLock writeLock = new ReentrantLock();
    private volatile boolean writing;
    private volatile long writeDeadlineNanos;
    private volatile long lastWriteNanos = System.nanoTime();

    private final ScheduledThreadPoolExecutor timer;
    private final Thread reader;

    private StompSession(BrokerAddress address, SessionConfig config, SessionListener listener, FrameCodec codec,
            Socket rawSocket, Socket socket, InputStream in, Frame connected) throws IOException {
        this.address = address;
        this.config = config;
        this.listener = listener;
        this.codec = codec;
        this.rawSocket = rawSocket;
        this.in = in;
        this.out = new BufferedOutputStream(socket.getOutputStream(), BUFFER_BYTES);
        this.name = address.host() + ":" + address.port();
        this.server = connected.header("server");
        long offered = config.heartbeat().toMillis();
        long[] brokerBeats = parseHeartbeat(connected.header("heart-beat"));
        // STOMP 1.2: each direction runs at the slower of what one side can do and the other wants; 0 on either side means off.
        this.outgoingHeartbeat = Duration.ofMillis(offered == 0 || brokerBeats[1] == 0 ? 0 : Math.max(offered, brokerBeats[1]));
        this.incomingHeartbeat = Duration.ofMillis(offered == 0 || brokerBeats[0] == 0 ? 0 : Math.max(wantedFromBroker(offered), brokerBeats[0]));
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, silenceDeadline().toMillis()));

        this.timer = new ScheduledThreadPoolExecutor(2, runnable -> daemon(runnable, "dqlog-stomp-timer-" + name));
        timer.setRemoveOnCancelPolicy(true);
        this.reader = daemon(this::readLoop, "dqlog-stomp-reader-" + name);
    }

    /**
     * Connects, sends CONNECT and waits for CONNECTED, all within the connect timeout.
     *
     * @throws SocketTimeoutException when the TCP connect, the TLS handshake or the CONNECTED frame takes too long
     * @throws StompErrorException when the broker answers CONNECT with ERROR (for example a bad login)
     * @throws SSLHandshakeException when TLS fails, for example because the certificate is not for this host
     * @throws IOException for any other failure; the message names the broker
     */
    public static StompSession open(BrokerAddress address, SessionConfig config, SessionListener listener)
            throws IOException {
        long deadline = System.nanoTime() + config.connectTimeout().toNanos();
        FrameCodec codec = new FrameCodec(config.maxFrameBytes());
        Socket raw = new Socket();
        try {
            raw.setTcpNoDelay(true);
            raw.setKeepAlive(true);
            InetSocketAddress target = address.socketAddress();
            if (target.isUnresolved()) {
                throw new UnknownHostException("cannot resolve broker host " + address.host() + " of " + address.uri());
            }
            try {
                raw.connect(target, remainingMillis(deadline));
            } catch (SocketTimeoutException e) {
                throw timeout("TCP connect to " + address + " took longer than " + config.connectTimeout(), e);
            }
            Socket socket = address.isTls() ? startTls(raw, address, config, deadline) : raw;
            InputStream in = new FrameInput(socket.getInputStream(), BUFFER_BYTES);
            OutputStream connectOut = socket.getOutputStream();
            connectOut.write(codec.encode(connectFrame(address, config)));
            connectOut.flush();
            Frame connected = awaitConnected(address, config, codec, socket, in, deadline);
            StompSession session = new StompSession(address, config, listener, codec, raw, socket, in, connected);
            session.start();
            return session;
        } catch (IOException | RuntimeException e) {
            closeQuietly(raw);
            throw e;
        }
    }

    /** Sends a SEND frame without a receipt; returns once the bytes are written to the socket. */
    public void send(String destination, Map<String, String> headers, byte[] body) throws IOException {
        write(sendFrame(destination, headers, body, null));
    }

    /**
     * Sends a SEND frame that asks for a receipt. For a batch, ask for a receipt on its last frame
     * only: the broker confirms in order, so that receipt covers the whole batch.
     *
     * @return the receipt to wait for; it fails at once if the session fails first
     */
    public Receipt sendWithReceipt(String destination, Map<String, String> headers, byte[] body) throws IOException {
        Receipt receipt = newReceipt();
        write(sendFrame(destination, headers, body, receipt.id()));
        return receipt;
    }

    /**
     * Subscribes. {@code headers} may add, for example, {@code selector} or {@code activemq.prefetchSize}.
     * Messages go to {@link SessionListener#onMessage} on the reader thread.
     */
    public void subscribe(String id, String destination, AckMode ackMode, Map<String, String> headers)
            throws IOException {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("id", id);
        h.put("destination", destination);
        h.put("ack", ackMode.header());
        putExtra(h, headers);
        write(new Frame(Frame.SUBSCRIBE, h));
    }

    /**
     * Acknowledges the message whose {@code ack} header is {@code ackId} (in {@link AckMode#CLIENT}
     * mode also every earlier message of that subscription).
     */
    public void ack(String ackId) throws IOException {
        write(new Frame(Frame.ACK, Collections.singletonMap("id", ackId)));
    }

    /** Acknowledges {@code message} by its {@code ack} header. */
    public void ack(Frame message) throws IOException {
        String ackId = message.header("ack");
        if (ackId == null) {
            throw new IllegalArgumentException("message has no ack header (subscribed with ack mode auto?): " + message);
        }
        ack(ackId);
    }

    public void unsubscribe(String id) throws IOException {
        write(new Frame(Frame.UNSUBSCRIBE, Collections.singletonMap("id", id)));
    }

    /**
     * Unsubscribes with extra headers (ActiveMQ's {@code activemq.subscriptionName} removes a
     * durable subscription) and asks for a receipt: it fails if the broker answers with ERROR.
     */
    public Receipt unsubscribeWithReceipt(String id, Map<String, String> headers) throws IOException {
        Receipt receipt = newReceipt();
        Map<String, String> h = new LinkedHashMap<>();
        h.put("id", id);
        putExtra(h, headers);
        h.put("receipt", receipt.id());
        write(new Frame(Frame.UNSUBSCRIBE, h));
        return receipt;
    }

    /** True until the session is closed or has failed. */
    public boolean isOpen() {
        return state.get() == State.OPEN;
    }

    /** Why the session failed, or null while open or after a clean {@link #close()}. */
    public Throwable failure() {
        return failure;
    }

    public BrokerAddress address() {
        return address;
    }

    /** The broker's {@code server} header from CONNECTED, or null. */
    public String server() {
        return server;
    }

    /**
     * How long the broker may stay silent before the session is declared dead: twice the configured
     * heart-beat (four of the broker's heart-beats, which it is asked to send at half that interval),
     * or twice the broker's interval if it cannot beat that fast; zero when heart-beats are off.
     */
    public Duration silenceDeadline() {
        if (incomingHeartbeat.isZero()) {
            return Duration.ZERO;
        }
        Duration configured = config.heartbeat().multipliedBy(2);
        Duration brokers = incomingHeartbeat.multipliedBy(2);
        return configured.compareTo(brokers) >= 0 ? configured : brokers;
    }

    /** Negotiated interval of our heart-beats; zero when off. */
    public Duration outgoingHeartbeat() {
        return outgoingHeartbeat;
    }

    /** Negotiated interval of the broker's heart-beats; zero when off. See {@link #silenceDeadline()}. */
    public Duration incomingHeartbeat() {
        return incomingHeartbeat;
    }

    /**
     * Sends DISCONNECT, waits at most the disconnect timeout for its receipt, then closes the socket.
     * Pending receipts fail. Idempotent, never throws, never waits longer than the disconnect timeout.
     */
    @Override
    public void close() {
        if (!state.compareAndSet(State.OPEN, State.CLOSING)) {
            return;
        }
        long deadline = System.nanoTime() + config.disconnectTimeout().toNanos();
        try {
            Receipt receipt = newReceipt();
            writeBytes(codec.encode(new Frame(Frame.DISCONNECT, Collections.singletonMap("receipt", receipt.id()))),
                    deadline, State.CLOSING);
            if (Thread.currentThread() != reader) { // the reader thread cannot read the receipt it would wait for
                receipt.await(Duration.ofNanos(deadline - System.nanoTime()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            // Closing anyway: the broker treats a dropped connection like a DISCONNECT without receipt.
        } finally {
            state.set(State.CLOSED);
            shutdown(new IOException("session to " + address + " was closed"));
        }
    }

    @Override
    public String toString() {
        Throwable f = failure;
        return "StompSession[" + address + ", " + state.get() + (f != null ? ", failed: " + f.getMessage() : "") + "]";
    }

    // ---- connecting

    private static Socket startTls(Socket raw, BrokerAddress address, SessionConfig config, long deadline)
            throws IOException {
        SSLSocket ssl = (SSLSocket) config.tls().sslContext().getSocketFactory()
                .createSocket(raw, address.host(), address.port(), true);
        SSLParameters parameters = ssl.getSSLParameters();
        // The JDK checks the certificate against the host name only when asked to; without this any trusted certificate would do.
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        ssl.setSSLParameters(parameters);
        raw.setSoTimeout(remainingMillis(deadline));
        try {
            ssl.startHandshake();
        } catch (SocketTimeoutException e) {
            throw timeout("TLS handshake with " + address + " took longer than " + config.connectTimeout(), e);
        } catch (SSLHandshakeException e) {
            SSLHandshakeException clear = new SSLHandshakeException("TLS handshake with " + address
                    + " failed (is the certificate valid for host " + address.host() + " and trusted?): " + e.getMessage());
            clear.initCause(e);
            throw clear;
        } catch (SSLException e) {
            throw new SSLException("TLS handshake with " + address + " failed: " + e.getMessage(), e);
        }
        return ssl;
    }

    private static Frame connectFrame(BrokerAddress address, SessionConfig config) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("accept-version", "1.2");
        h.put("host", address.host());
        if (config.credentials().login() != null) {
            h.put("login", config.credentials().login());
        }
        if (config.credentials().passcode() != null) {
            h.put("passcode", config.credentials().passcode());
        }
        if (config.clientId() != null) {
            h.put("client-id", config.clientId());
        }
        // We ask the broker to beat twice as often as we declare it dead: ActiveMQ only beats after a
        // whole idle interval, so with equal intervals its gaps approach the deadline under load.
        long beat = config.heartbeat().toMillis();
        h.put("heart-beat", beat + "," + wantedFromBroker(beat));
        return new Frame(Frame.CONNECT, h);
    }

    private static Frame awaitConnected(BrokerAddress address, SessionConfig config, FrameCodec codec, Socket socket,
            InputStream in, long deadline) throws IOException {
        while (true) {
            socket.setSoTimeout(remainingMillis(deadline));
            Frame frame;
            try {
                frame = codec.read(in);
            } catch (SocketTimeoutException e) {
                throw timeout("no CONNECTED from " + address + " within " + config.connectTimeout(), e);
            }
            if (frame.command().equals(Frame.CONNECTED)) {
                return frame;
            }
            if (frame.command().equals(Frame.ERROR)) {
                throw new StompErrorException(address.toString(), frame);
            }
            throw new StompProtocolException("expected CONNECTED from " + address + " but got "
                    + PeerText.escape(frame.command()));
        }
    }

    private void start() {
        reader.start();
        long outMillis = outgoingHeartbeat.toMillis();
        if (outMillis > 0) {
            long period = Math.max(1, outMillis / 2);
            timer.scheduleAtFixedRate(guarded(this::heartbeatIfIdle), period, period, TimeUnit.MILLISECONDS);
        }
        long tick = Math.max(MIN_WATCH_TICK_MILLIS, Math.min(MAX_WATCH_TICK_MILLIS, config.sendTimeout().toMillis() / 4));
        timer.scheduleAtFixedRate(guarded(this::watchWrite), tick, tick, TimeUnit.MILLISECONDS);
    }

    // ---- writing

    private void write(Frame frame) throws IOException {
        writeBytes(codec.encode(frame), System.nanoTime() + config.sendTimeout().toNanos(), State.OPEN);
    }

    /** Writes under the lock; the watchdog closes the socket if the write is still blocked at {@code deadline}. */
    private void writeBytes(byte[] bytes, long deadline, State required) throws IOException {
        ensureState(required);
        try {
            if (!writeLock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new SocketTimeoutException("send to " + address + " timed out after " + config.sendTimeout()
                        + " waiting for another write to finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to send to " + address);
        }
        try {
            ensureState(required);
            writeDeadlineNanos = deadline;
            writing = true;
            out.write(bytes);
            out.flush();
            lastWriteNanos = System.nanoTime();
        } catch (IOException e) {
            fail(new IOException("write to " + address + " failed: " + e.getMessage(), e));
            throw closedException();
        } finally {
            writing = false;
            writeLock.unlock();
        }
    }

    private void heartbeatIfIdle() {
        long halfInterval = outgoingHeartbeat.toNanos() / 2;
        if (System.nanoTime() - lastWriteNanos < halfInterval || !writeLock.tryLock()) {
            return; // something was written recently, or a write is in progress: that counts as a heart-beat
        }
        try {
            if (state.get() != State.OPEN) {
                return;
            }
            writeDeadlineNanos = System.nanoTime() + config.sendTimeout().toNanos();
            writing = true;
            out.write('\n');
            out.flush();
            lastWriteNanos = System.nanoTime();
        } catch (IOException e) {
            fail(new IOException("heart-beat to " + address + " failed: " + e.getMessage(), e));
        } finally {
            writing = false;
            writeLock.unlock();
        }
    }

    private void watchWrite() {
        if (writing && System.nanoTime() - writeDeadlineNanos > 0) {
            fail(new SocketTimeoutException("write to " + address + " blocked longer than " + config.sendTimeout()
                    + "; the broker is not reading"));
            closeQuietly(rawSocket); // also when closing: a blocked DISCONNECT must not hold close() up
        }
    }

    private void ensureState(State required) throws IOException {
        if (state.get() != required) {
            throw closedException();
        }
    }

    private IOException closedException() {
        Throwable cause = failure;
        return new IOException("session to " + address + " is closed" + (cause != null ? ": " + cause.getMessage() : ""),
                cause);
    }

    private static Frame sendFrame(String destination, Map<String, String> headers, byte[] body, String receiptId) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("destination", destination);
        putExtra(h, headers);
        if (receiptId != null) {
            h.put("receipt", receiptId);
        }
        return new Frame(Frame.SEND, h, body);
    }

    private static void putExtra(Map<String, String> target, Map<String, String> extra) {
        if (extra == null) {
            return;
        }
        for (Map.Entry<String, String> e : extra.entrySet()) {
            if (e.getValue() != null && !target.containsKey(e.getKey()) && !e.getKey().equals("receipt")) {
                target.put(e.getKey(), e.getValue());
            }
        }
    }

    private Receipt newReceipt() {
        Receipt receipt = new Receipt("r-" + receiptCounter.incrementAndGet());
        pendingReceipts.put(receipt.id(), receipt);
        // A failure that raced with the registration has already drained the map: fail this one too.
        if (state.get() == State.CLOSED) {
            Receipt removed = pendingReceipts.remove(receipt.id());
            if (removed != null) {
                removed.fail(failure != null ? failure : new IOException("session to " + address + " is closed"));
            }
        }
        return receipt;
    }

    // ---- reading

    private void readLoop() {
        try {
            while (true) {
                Frame frame = codec.read(in);
                if (!dispatch(frame)) {
                    return;
                }
            }
        } catch (SocketTimeoutException e) {
            fail(timeout("nothing from " + address + " for " + silenceDeadline()
                    + " (heart-beats missed): the broker is silent or unreachable", e));
        } catch (IOException e) {
            fail(new IOException("connection to " + address + " lost: " + e.getMessage(), e));
        } catch (Throwable t) {
            // A listener bug or an Error: report it through onClosed, since nothing may be printed.
            fail(t);
        } finally {
            reportClosed();
        }
    }

    /** Returns false when the session ends. */
    private boolean dispatch(Frame frame) throws IOException {
        switch (frame.command()) {
            case Frame.MESSAGE:
                if (state.get() == State.OPEN) {
                    listener.onMessage(this, frame);
                }
                return true;
            case Frame.RECEIPT:
                Receipt receipt = pendingReceipts.remove(String.valueOf(frame.header("receipt-id")));
                if (receipt != null) {
                    receipt.confirm();
                }
                return true;
            case Frame.ERROR:
                // STOMP 1.2: the broker closes the connection after an ERROR; every unconfirmed frame must be resent elsewhere.
                fail(new StompErrorException(address.toString(), frame));
                return false;
            default:
                return true; // unknown commands from newer brokers are ignored
        }
    }

    // ---- ending

    private void fail(Throwable cause) {
        if (state.compareAndSet(State.OPEN, State.CLOSED)) {
            failure = cause;
            shutdown(cause);
        }
    }

    private void shutdown(Throwable receiptFailure) {
        // Closing the plain socket (not the SSLSocket, whose close would try to write close_notify) unblocks every read and write.
        closeQuietly(rawSocket);
        timer.shutdownNow();
        for (String id : pendingReceipts.keySet()) {
            Receipt receipt = pendingReceipts.remove(id);
            if (receipt != null) {
                receipt.fail(receiptFailure);
            }
        }
    }

    private void reportClosed() {
        if (state.get() == State.OPEN) {
            fail(new IOException("reader of " + address + " stopped"));
        }
        if (closeReported.compareAndSet(false, true)) {
            try {
                listener.onClosed(this, failure);
            } catch (Throwable ignored) {
                // The listener has been told as much as it can take; nothing may be printed.
            }
        }
    }

    private Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (Throwable t) {
                fail(t);
            }
        };
    }

    // ---- helpers

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    private static SocketTimeoutException timeout(String message, Throwable cause) {
        SocketTimeoutException e = new SocketTimeoutException(message);
        e.initCause(cause);
        return e;
    }

    private static int remainingMillis(long deadlineNanos) throws SocketTimeoutException {
        long millis = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        if (millis <= 0) {
            throw new SocketTimeoutException("connect timeout expired");
        }
        return (int) Math.min(Integer.MAX_VALUE, millis);
    }

    /** The interval we ask the broker to beat at: half our own, never rounded down to 0 ("off"). */
    private static long wantedFromBroker(long heartbeatMillis) {
        return heartbeatMillis == 0 ? 0 : Math.max(1, heartbeatMillis / 2);
    }

    private static long[] parseHeartbeat(String header) {
        if (header == null) {
            return new long[] {0, 0};
        }
        String[] parts = header.split(",");
        try {
            return new long[] {Long.parseLong(parts[0].trim()), parts.length > 1 ? Long.parseLong(parts[1].trim()) : 0};
        } catch (NumberFormatException e) {
            return new long[] {0, 0};
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is best effort
        }
    }
}
