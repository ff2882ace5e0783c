package org.dqlog.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A TCP server that reads and discards everything, standing in for Logstash's tcp input behind
 * Log4j's Socket appender. Runs as its own process so that {@link AppenderLatency} can SIGSTOP it.
 * Prints {@code discard-sink ready port=N} when listening; exits when its stdin closes.
 */
public final class DiscardSink {

    public static final String READY_PREFIX = "discard-sink ready port=";

    private DiscardSink() {
    }

    public static void main(String[] args) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread watcher = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // only the end of stdin matters: the parent is gone
                }
            } catch (IOException ignored) {
                // a broken stdin means the same
            }
            System.exit(0);
        }, "stdin-eof-watcher");
        watcher.setDaemon(true);
        watcher.start();
        System.out.println(READY_PREFIX + server.getLocalPort());
        System.out.flush();
        while (true) {
            Socket client = server.accept();
            Thread reader = new Thread(() -> discard(client), "discard");
            reader.setDaemon(true);
            reader.start();
        }
    }

    private static void discard(Socket client) {
        byte[] buffer = new byte[64 * 1024];
        try (Socket s = client; InputStream in = s.getInputStream()) {
            while (in.read(buffer) >= 0) {
                // discarded
            }
        } catch (IOException ignored) {
            // the appender went away
        }
    }
}
