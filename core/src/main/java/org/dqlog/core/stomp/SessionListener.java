package org.dqlog.core.stomp;

/**
 * Receives what a {@link StompSession} reads. Both methods run on the session's reader thread
 * ({@code dqlog-stomp-reader-HOST:PORT}), one call at a time. While {@link #onMessage} runs, the
 * session reads nothing else, so hand slow work to another thread. Calling the session's
 * {@code ack}, {@code send} or {@code close} from inside is allowed.
 */
public interface SessionListener {

    /** A MESSAGE frame for one of this session's subscriptions. A RuntimeException thrown here closes the session. */
    void onMessage(StompSession session, Frame message);

    /**
     * The session ended; called exactly once. {@code cause} is null after {@link StompSession#close()},
     * otherwise what failed: a {@link StompErrorException} for an ERROR frame, a
     * {@link java.net.SocketTimeoutException} for a silent broker or a blocked write, an
     * {@link java.io.IOException} for a broken connection.
     */
    void onClosed(StompSession session, Throwable cause);

    /** Ignores messages and the end of the session; for publishers that only send. */
    SessionListener IGNORE = new SessionListener() {
        @Override
        public void onMessage(StompSession session, Frame message) {
        }

        @Override
        public void onClosed(StompSession session, Throwable cause) {
        }
    };
}
