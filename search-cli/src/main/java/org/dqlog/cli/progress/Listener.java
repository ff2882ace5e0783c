package org.dqlog.cli.progress;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.dqlog.core.subscribe.Delivery;
import org.dqlog.core.subscribe.DeliveryHandler;
import org.dqlog.core.subscribe.FanInSubscriber;

/**
 * The engine of {@code dqlog listen}: a {@link FanInSubscriber} on every broker hands its
 * messages to one bounded queue, in arrival order; one worker thread takes them one at a time,
 * drops a repeat of an id it handled recently, runs the {@link MessageAction}, and only then
 * acknowledges the message (never a NACK: ActiveMQ would dead-letter it). A full queue holds up
 * the brokers' reader threads, which is the back-pressure a slow CMD needs.
 *
 * <p>Thread-safe: {@link #close()} and {@link #fail} may be called from any thread.
 */
public final class Listener implements AutoCloseable {

    /** Messages waiting for the worker, from all brokers together: {@value}. */
    static final int QUEUE_CAPACITY = 64;
    /** How long {@link #close()} lets a running CMD finish before it gives up waiting: 10 s. */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(10);

    private final BlockingQueue<Delivery> inbox = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final RecentIds recent;
    private final MessageAction action;
    private final Thread worker;
    private final CompletableFuture<String> failure = new CompletableFuture<>();
    private volatile FanInSubscriber subscriber;
    private volatile boolean closing;

    /** A listener that remembers the last {@code recentIds} ids; {@link #start} starts it. */
    public Listener(MessageAction action, int recentIds) {
        this.action = action;
        this.recent = new RecentIds(recentIds);
        this.worker = new Thread(this::work, "dqlog-listen-worker");
        worker.setDaemon(true);
    }

    /**
     * Starts the worker and then the subscriber that {@code subscriber} builds around the
     * listener's delivery handler (the caller sets brokers, selector, durable name and listeners).
     */
    public synchronized void start(Function<DeliveryHandler, FanInSubscriber> subscriberOf) {
        if (subscriber != null || closing) {
            throw new IllegalStateException("started already, or closed");
        }
        worker.start();
        subscriber = subscriberOf.apply(this::enqueue);
    }

    /** On a broker's reader thread: waits for room, unless closing (then the message stays unacknowledged). */
    private void enqueue(Delivery delivery) throws InterruptedException {
        while (!inbox.offer(delivery, 200, TimeUnit.MILLISECONDS)) {
            if (closing) {
                return;
            }
        }
    }

    /** Ends {@link #awaitFailure()} with {@code why} (a durable name in use elsewhere): the command exits. */
    public void fail(String why) {
        failure.complete(why);
    }

    /**
     * Blocks until the listener ends: {@link #fail} was called, the worker failed, or it was closed
     * or its output closed (then null).
     */
    public String awaitFailure() throws InterruptedException {
        try {
            return failure.get();
        } catch (ExecutionException e) {
            return String.valueOf(e.getCause());
        }
    }

    private void work() {
        try {
            while (!closing) {
                Delivery delivery = inbox.poll(200, TimeUnit.MILLISECONDS);
                if (delivery == null) {
                    continue;
                }
                ReceivedMessage message = ReceivedMessage.of(delivery);
                if (!recent.contains(message.id())) {
                    action.handle(message);
                    recent.add(message.id());
                }
                delivery.ack();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (JsonLines.OutputClosedException e) {
            failure.complete(null); // nobody reads any more: stop normally, the message stays unacknowledged
        } catch (RuntimeException e) {
            failure.complete("stopped by an internal error: " + e); // never a worker that died silently
        }
    }

    /**
     * Lets a running CMD finish (at most {@link #CLOSE_GRACE}), then closes every session: what
     * was not acknowledged is redelivered to the next listener of a durable subscription.
     * Idempotent.
     */
    @Override
    public void close() {
        closing = true;
        try {
            worker.join(CLOSE_GRACE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        worker.interrupt();
        FanInSubscriber s = subscriber;
        if (s != null) {
            s.close();
        }
        failure.complete(null);
    }
}
