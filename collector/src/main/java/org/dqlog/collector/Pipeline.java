package org.dqlog.collector;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.dqlog.collector.config.BatchConfig;
import org.dqlog.collector.ops.DiskSpaceGuard;
import org.dqlog.core.Status;
import org.dqlog.core.subscribe.Delivery;
import org.dqlog.core.subscribe.DeliveryHandler;

/**
 * One subscriber's way from the brokers to the disk: a bounded hand-off queue fed by the
 * sessions' reader threads ({@link #onDelivery}) and one worker thread that forms batches (up to
 * {@code batch.maxRecords}, or what arrived within {@code batch.maxDelay} of the first) and has
 * the {@link BatchArchiver} complete each, in arrival order.
 *
 * <p>Back-pressure instead of loss: a full queue blocks the reader threads (only their own
 * sessions; the broker stops at the prefetch). When the disk is full or storing fails, the worker
 * holds the batch, acknowledges nothing, and retries with a backoff until it succeeds; meanwhile
 * the queue fills and the brokers keep the rest.
 *
 * <p>Stopping: {@link #stopIntake()} makes the handler turn away every later delivery (never
 * acknowledged, so redelivered after the session closes; acknowledgements are cumulative, so once
 * one delivery of a session is turned away, all later ones must be too, and they are); the worker
 * completes what is queued and ends. {@link #awaitDrained} bounds the wait; past it the worker
 * gives up retrying and leaves its batch to be redelivered.
 *
 * <p>Thread-safe: {@link #onDelivery} is called by any number of reader threads; the control
 * methods may be called from any thread.
 */
final class Pipeline implements DeliveryHandler {

    /** First wait before retrying a batch that could not be stored: 100 ms, doubling. */
    static final Duration RETRY_INITIAL_BACKOFF = Duration.ofMillis(100);
    /** Longest wait between retries: 5 s. Disk space is measured at most once a second anyway. */
    static final Duration RETRY_MAX_BACKOFF = Duration.ofSeconds(5);
    /** How often a batch held for want of disk space looks again: the guard's measuring interval. */
    static final Duration DISK_FULL_RECHECK = DiskSpaceGuard.DEFAULT_CACHE_TIME;
    /** How often a blocked handler looks whether intake has stopped: 100 ms. */
    private static final long OFFER_SLICE_MILLIS = 100;

    private final String name;
    private final BatchConfig batchConfig;
    private final BatchArchiver archiver;
    private final Runnable idle;
    private final Duration idleInterval;
    private final Status status;
    private final BlockingQueue<Delivery> queue;
    private final Thread worker;
    private final CountDownLatch drained = new CountDownLatch(1);
    private final CountDownLatch giveUp = new CountDownLatch(1);
    private volatile boolean intakeStopped;

    /**
     * @param idle         run by the worker whenever no delivery arrived for {@code idleInterval}
     *                     (commits the index when due)
     */
    Pipeline(String name, int queueCapacity, BatchConfig batchConfig, BatchArchiver archiver, Runnable idle,
            Duration idleInterval, Status status) {
        this.name = name;
        this.batchConfig = batchConfig;
        this.archiver = archiver;
        this.idle = idle;
        this.idleInterval = idleInterval;
        this.status = status;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.worker = new Thread(this::run, "dqlog-collector-" + name);
        worker.setDaemon(true);
    }

    void start() {
        worker.start();
    }

    /** Called on a session's reader thread: queues the delivery, waiting while the queue is full. */
    @Override
    public void onDelivery(Delivery delivery) throws InterruptedException {
        while (!intakeStopped) {
            if (queue.offer(delivery, OFFER_SLICE_MILLIS, TimeUnit.MILLISECONDS)) {
                return;
            }
        }
        // turned away: not acknowledged, so the broker redelivers it once this session closes
    }

    /** Turns away every later delivery; the worker finishes what is queued, then ends. */
    void stopIntake() {
        intakeStopped = true;
    }

    /**
     * Waits until the worker has completed every queued batch and ended. Past {@code bound} it
     * tells the worker to give up retrying (that batch stays unacknowledged) and waits a little
     * more for it to notice.
     *
     * @return true if everything queued was completed
     */
    boolean awaitDrained(Duration bound) throws InterruptedException {
        if (drained.await(bound.toMillis(), TimeUnit.MILLISECONDS)) {
            return true;
        }
        giveUp.countDown();
        worker.join(RETRY_MAX_BACKOFF.toMillis());
        return false;
    }

    /** Deliveries waiting for the worker. */
    int queued() {
        return queue.size();
    }

    private void run() {
        List<Delivery> deliveries = new ArrayList<>(batchConfig.maxRecords());
        try {
            while (true) {
                Delivery first = queue.poll(idleInterval.toMillis(), TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (intakeStopped) {
                        return;
                    }
                    runQuietly(idle);
                    continue;
                }
                deliveries.add(first);
                long deadline = System.nanoTime() + batchConfig.maxDelay().toNanos();
                while (deliveries.size() < batchConfig.maxRecords()) {
                    if (queue.drainTo(deliveries, batchConfig.maxRecords() - deliveries.size()) > 0) {
                        continue;
                    }
                    long left = deadline - System.nanoTime();
                    Delivery next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
                    if (next == null) {
                        break;
                    }
                    deliveries.add(next);
                }
                if (!completeWithRetry(archiver.prepare(deliveries))) {
                    // Acknowledging any later batch would acknowledge this one too (acks are cumulative).
                    return;
                }
                deliveries.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            status.error("collector pipeline '" + name + "' failed; its unacknowledged messages stay on the brokers", e);
        } finally {
            drained.countDown();
        }
    }

    /**
     * Completes the batch, retrying with backoff while the disk is full or storing fails.
     *
     * @return false if it gave up (on {@link #awaitDrained}'s bound): the batch is not acknowledged
     */
    private boolean completeWithRetry(BatchArchiver.Batch batch) throws InterruptedException {
        Duration backoff = RETRY_INITIAL_BACKOFF;
        boolean reported = false;
        while (true) {
            Duration wait;
            try {
                if (archiver.hasRoom()) {
                    archiver.complete(batch);
                    if (reported) {
                        status.info("collector pipeline '" + name + "' stored its held batch of "
                                + BatchArchiver.describe(batch) + "; going on");
                    }
                    return true;
                }
                // The disk guard reports the change itself; the batch waits, unacknowledged, and
                // space is looked at again as often as the guard measures it. Its panics go out now.
                archiver.mailPanics(batch);
                wait = DISK_FULL_RECHECK;
            } catch (Exception e) {
                if (!reported) {
                    status.warn("collector pipeline '" + name + "' could not store a batch of "
                            + BatchArchiver.describe(batch) + "; nothing acknowledged, retrying", e);
                    reported = true;
                }
                wait = backoff;
                backoff = backoff.multipliedBy(2).compareTo(RETRY_MAX_BACKOFF) > 0 ? RETRY_MAX_BACKOFF
                        : backoff.multipliedBy(2);
            }
            if (giveUp.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                status.warn("collector pipeline '" + name + "' stopping with a batch of "
                        + BatchArchiver.describe(batch) + " not stored; the brokers will redeliver it", null);
                return false;
            }
        }
    }

    private void runQuietly(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            status.warn("collector pipeline '" + name + "': idle task failed", e);
        }
    }
}
