package org.dqlog.core.stomp;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/** Records what a session hands its listener, and on which thread. */
final class RecordingListener implements SessionListener {

    final BlockingQueue<Frame> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<Throwable> closed = new CompletableFuture<>();
    final AtomicInteger closedCalls = new AtomicInteger();
    volatile String closedOnThread;
    volatile String messageThread;

    @Override
    public void onMessage(StompSession session, Frame message) {
        messageThread = Thread.currentThread().getName();
        messages.add(message);
    }

    @Override
    public void onClosed(StompSession session, Throwable cause) {
        closedOnThread = Thread.currentThread().getName();
        closedCalls.incrementAndGet();
        closed.complete(cause);
    }

    /** The cause passed to onClosed; call only once {@link #closed} is done. */
    Throwable cause() {
        return closed.join();
    }
}
