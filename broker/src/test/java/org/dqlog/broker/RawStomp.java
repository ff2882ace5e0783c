package org.dqlog.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.dqlog.testkit.Waits;

/**
 * A few STOMP 1.2 frames over a plain socket, so these tests check the broker without depending on
 * the client in core. Every read is bounded by the socket timeout. Not thread-safe.
 */
final class RawStomp implements AutoCloseable {

    private static final Duration TIMEOUT = Waits.CONDITION;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawStomp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    static RawStomp connect(int port) throws IOException {
        return connect(port, "");
    }

    /** Connects as {@code login} with {@code passcode}. */
    static RawStomp connect(int port, String login, String passcode) throws IOException {
        return connect(port, "login:" + login + "\npasscode:" + passcode + "\n");
    }

    /** Connects over TLS to {@code localhost}, verifying that the certificate names it. */
    static RawStomp connectTls(int port, SSLContext tls) throws IOException {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress("127.0.0.1", port), (int) TIMEOUT.toMillis());
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(plain, "localhost", port, true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        return handshake(socket, "");
    }

    private static RawStomp connect(int port, String extraHeaders) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), (int) TIMEOUT.toMillis());
        return handshake(socket, extraHeaders);
    }

    private static RawStomp handshake(Socket socket, String extraHeaders) throws IOException {
        socket.setSoTimeout((int) TIMEOUT.toMillis());
        RawStomp stomp = new RawStomp(socket);
        stomp.write("CONNECT\naccept-version:1.2\nhost:localhost\nheart-beat:0,0\n" + extraHeaders + "\n");
        stomp.expect("CONNECTED");
        return stomp;
    }

    /** Sends a persistent message and waits for the broker's receipt: only then is it stored. */
    void sendPersistentWithReceipt(String destination, String body) throws IOException {
        write("SEND\ndestination:" + destination + "\npersistent:true\nreceipt:r1\ncontent-type:text/plain\n\n" + body);
        String receipt = expect("RECEIPT");
        if (!receipt.contains("receipt-id:r1")) {
            throw new IOException("unexpected receipt: " + receipt);
        }
    }

    /** Sends a persistent message asking for a receipt and returns the broker's answer: RECEIPT or ERROR. */
    String sendPersistentAndReadReply(String destination, String body) throws IOException {
        write("SEND\ndestination:" + destination + "\npersistent:true\nreceipt:r1\n\n" + body);
        return readFrame();
    }

    void subscribe(String destination) throws IOException {
        write("SUBSCRIBE\nid:0\ndestination:" + destination + "\nack:auto\n\n");
    }

    /** Body of the next MESSAGE frame. */
    String receiveBody() throws IOException {
        String frame = expect("MESSAGE");
        return frame.substring(frame.indexOf("\n\n") + 2);
    }

    private void write(String frame) throws IOException {
        out.write(frame.getBytes(StandardCharsets.UTF_8));
        out.write(0);
        out.flush();
    }

    private String expect(String command) throws IOException {
        String frame = readFrame();
        if (!frame.startsWith(command + "\n")) {
            throw new IOException("expected " + command + " but got: " + frame);
        }
        return frame;
    }

    private String readFrame() throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) == '\n' || b == '\r') {
            // heart-beats and EOLs between frames
        }
        while (b > 0) {
            frame.write(b);
            b = in.read();
        }
        if (b < 0) {
            throw new IOException("connection closed by the broker");
        }
        return frame.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
