package org.dqlog.core.stomp;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The broker's confirmation of one frame that asked for a receipt (for a persistent SEND: the
 * broker has stored it and every earlier frame of the same connection). It completes when the
 * RECEIPT arrives, or fails at once when the session ends first (ERROR frame, broken or silent
 * connection, close).
 *
 * <p>Thread-safe.
 */
public final class Receipt {

    private final String id;
    private final CompletableFuture<Void> future = new CompletableFuture<>();

    Receipt(String id) {
        this.id = id;
    }

    /** The {@code receipt} header value sent with the frame. */
    public String id() {
        return id;
    }

    /**
     * Waits at most {@code timeout} for the receipt.
     *
     * @return true if the broker confirmed; false on timeout or when the session failed first
     *         (then {@link #failure()} says why)
     */
    public boolean await(Duration timeout) throws InterruptedException {
        try {
            future.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    /** True once the broker confirmed. */
    public boolean isConfirmed() {
        return future.isDone() && !future.isCompletedExceptionally();
    }

    /** True once the receipt is confirmed or failed. */
    public boolean isDone() {
        return future.isDone();
    }

    /** Why the receipt will never come, or null (confirmed or still pending). */
    public Throwable failure() {
        if (!future.isCompletedExceptionally()) {
            return null;
        }
        try {
            future.join();
            return null;
        } catch (RuntimeException e) {
            return e.getCause() != null ? e.getCause() : e;
        }
    }

    /** For callers that compose: completes normally on the receipt, exceptionally on failure. */
    public CompletionStage<Void> completion() {
        return future.minimalCompletionStage();
    }

    void confirm() {
        future.complete(null);
    }

    void fail(Throwable cause) {
        future.completeExceptionally(cause);
    }

    @Override
    public String toString() {
        return "Receipt[" + id + (isConfirmed() ? ", confirmed" : future.isDone() ? ", failed" : ", pending") + "]";
    }
}
