package org.dqlog.collector;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.dqlog.collector.config.BatchConfig;
import org.dqlog.collector.ops.DiskSpaceGuard;
import org.dqlog.archive.UnrecoverableStoreException;
import org.dqlog.core.Status;
import org.dqlog.core.subscribe.Delivery;
import org.dqlog.core.subscribe.DeliveryHandler;

/**
 * One subscriber's way from the brokers to the disk: a bounded hand-off queue fed by the
 * sessions' reader threads ({@link #onDelivery}) and one worker thread that forms batches (up to
 * {@code batch.maxRecords} messages or {@link #MAX_BATCH_BYTES} of bodies, or what arrived within
 * {@code batch.maxDelay} of the first) and has the {@link BatchArchiver} complete each, in
 * arrival order. The queue is bounded twice: in messages, and in body bytes ({@link
 * #MAX_BYTES_IN_PIPELINE}, the batch in hand included), since one message may carry a 1 MiB
 * batch of records.
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
 * <p>What it cannot survive it reports to its {@link FatalFailure} (which stops the process, so
 * that a restart recovers) instead of spinning: a worker that dies of an {@code Error} or a bug,
 * and an {@link UnrecoverableStoreException}. Its progress is visible: {@link #waiting()} and
 * {@link #progressAt()} tell whether what waits is being archived. A message the subscriber gave
 * up on ({@link #onPoison}) is queued like any other and dead-lettered.
 *
 * <p>Thread-safe: {@link #onDelivery} is called by any number of reader threads; the control
 * methods may be called from any thread.
 */
final class Pipeline implements DeliveryHandler, StallWatch.Progress {

    /** Told once when the pipeline cannot go on. */
    @FunctionalInterface
    interface FatalFailure {
        void fail(String reason, Throwable cause);
    }

    /**
     * A delivery in the queue: {@code decoded} by the reader thread that received it, or {@code
     * poison} set for one the subscriber gave up on (then {@code decoded} is null).
     */
    record Incoming(Delivery delivery, Exception poison, DeliveryDecoder.Decoded decoded) { }

    /** First wait before retrying a batch that could not be stored: 100 ms, doubling. */
    static final Duration RETRY_INITIAL_BACKOFF = Duration.ofMillis(100);
    /** Longest wait between retries: 5 s. Disk space is measured at most once a second anyway. */
    static final Duration RETRY_MAX_BACKOFF = Duration.ofSeconds(5);
    /** How often a batch held for want of disk space looks again: the guard's measuring interval. */
    static final Duration DISK_FULL_RECHECK = DiskSpaceGuard.DEFAULT_CACHE_TIME;
    /** Failures other than I/O errors after which a batch is completed one message at a time: {@value}. */
    static final int MAX_BATCH_ATTEMPTS = 3;
    /** How often a blocked handler looks whether intake has stopped: 100 ms. */
    private static final long OFFER_SLICE_MILLIS = 100;
    /**
     * Most body bytes queued and in hand together: {@value} (8 MiB: one full batch in hand, one
     * being decoded and queued). Bounds the heap a pipeline takes whatever the messages hold (their
     * decoded records take a few times their bodies): a queue counted in messages alone would hold
     * 1 MiB batches by the hundred.
     */
    static final int MAX_BYTES_IN_PIPELINE = 8 * 1024 * 1024;
    /** A batch is closed once its bodies reach {@value} bytes (4 MiB), whatever {@code maxRecords} says. */
    static final int MAX_BATCH_BYTES = 4 * 1024 * 1024;

    private final String name;
    private final BatchConfig batchConfig;
    private final BatchArchiver archiver;
    private final Runnable idle;
    private final Duration idleInterval;
    private final Status status;
    private final BlockingQueue<Incoming> queue;
    private final Thread worker;
    private final Clock clock;
    private final FatalFailure fatal;
    private volatile Instant progressAt;
    private volatile int inHand;
    private RuntimeException lastBug; // worker thread only
    private final CountDownLatch drained = new CountDownLatch(1);
    private final CountDownLatch giveUp = new CountDownLatch(1);
    /** Permits are body bytes; a delivery holds its {@link #weight} from queueing until its batch is done. */
    private final Semaphore bytesFree = new Semaphore(MAX_BYTES_IN_PIPELINE);
    private volatile boolean intakeStopped;

    /**
     * @param idle         run by the worker whenever no delivery arrived for {@code idleInterval}
     *                     (commits the index when due)
     */
    Pipeline(String name, int queueCapacity, BatchConfig batchConfig, BatchArchiver archiver, Runnable idle,
            Duration idleInterval, Status status, Clock clock, FatalFailure fatal) {
        this.name = name;
        this.clock = clock;
        this.fatal = fatal;
        this.progressAt = clock.instant();
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

    /**
     * Called on a session's reader thread: decodes the delivery there (so that decoding, one
     * thread per broker, overlaps the worker's storing) and queues it, waiting while the queue is full.
     */
    @Override
    public void onDelivery(Delivery delivery) throws InterruptedException {
        offer(new Incoming(delivery, null, archiver.decode(delivery)));
    }

    /** Called on a session's reader thread for a message the pipeline kept failing on: queued to be dead-lettered. */
    @Override
    public void onPoison(Delivery delivery, Exception lastFailure) throws InterruptedException {
        offer(new Incoming(delivery, lastFailure, null));
    }

    private void offer(Incoming incoming) throws InterruptedException {
        int weight = weight(incoming);
        boolean reserved = false;
        while (!intakeStopped) {
            if (!reserved) {
                reserved = bytesFree.tryAcquire(weight, OFFER_SLICE_MILLIS, TimeUnit.MILLISECONDS);
            } else if (queue.offer(incoming, OFFER_SLICE_MILLIS, TimeUnit.MILLISECONDS)) {
                return;
            }
        }
        if (reserved) {
            bytesFree.release(weight);
        }
        // turned away: not acknowledged, so the broker redelivers it once this session closes
    }

    /** The bytes a delivery counts for: its body, at least 1, at most the whole budget (so it fits alone). */
    private static int weight(Incoming incoming) {
        return Math.max(1, Math.min(incoming.delivery().body().length, MAX_BYTES_IN_PIPELINE));
    }

    private static long weight(List<Incoming> deliveries) {
        long sum = 0;
        for (Incoming i : deliveries) {
            sum += weight(i);
        }
        return sum;
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

    /** Deliveries received and not yet completed: queued, or in the batch in hand. */
    @Override
    public int waiting() {
        return queue.size() + inHand;
    }

    /** When the worker last completed a batch or found nothing to do. */
    @Override
    public Instant progressAt() {
        return progressAt;
    }

    @Override
    public String name() {
        return name;
    }

    private void run() {
        List<Incoming> deliveries = new ArrayList<>(batchConfig.maxRecords());
        try {
            while (true) {
                Incoming first = queue.poll(idleInterval.toMillis(), TimeUnit.MILLISECONDS);
                if (first == null) {
                    progressAt = clock.instant();
                    if (intakeStopped) {
                        return;
                    }
                    runQuietly(idle);
                    continue;
                }
                deliveries.add(first);
                long bytes = weight(first);
                long deadline = System.nanoTime() + batchConfig.maxDelay().toNanos();
                while (deliveries.size() < batchConfig.maxRecords() && bytes < MAX_BATCH_BYTES) {
                    Incoming next = queue.poll();
                    if (next == null) {
                        long left = deadline - System.nanoTime();
                        next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
                    }
                    if (next == null) {
                        break;
                    }
                    deliveries.add(next);
                    bytes += weight(next);
                }
                inHand = deliveries.size();
                Outcome outcome = completeWithRetry(archiver.prepare(deliveries));
                if (outcome == Outcome.POISONED && !completeOneByOne(deliveries) || outcome == Outcome.GAVE_UP) {
                    // Acknowledging any later batch would acknowledge this one too (acks are cumulative).
                    return;
                }
                inHand = 0;
                progressAt = clock.instant();
                bytesFree.release((int) weight(deliveries));
                deliveries.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            // Its readers would wait on a queue nobody empties: stop the process, a restart recovers.
            fatal.fail("collector pipeline '" + name + "' died of " + e + "; its unacknowledged messages stay"
                    + " on the brokers", e);
        } finally {
            drained.countDown();
        }
    }

    /** How a batch ended. */
    private enum Outcome { DONE, GAVE_UP, POISONED }

    /**
     * Completes the batch, retrying with backoff while the disk is full or storing fails. A
     * failure that is no I/O error (a bug that one message triggers every time) ends the retries
     * after {@link #MAX_BATCH_ATTEMPTS}: {@link Outcome#POISONED}, the cause in {@link #lastBug}.
     *
     * @return {@link Outcome#GAVE_UP} if it gave up (on {@link #awaitDrained}'s bound or a fatal
     *         storage failure): the batch is not acknowledged
     */
    private Outcome completeWithRetry(BatchArchiver.Batch batch) throws InterruptedException {
        Duration backoff = RETRY_INITIAL_BACKOFF;
        boolean reported = false;
        int bugs = 0;
        while (true) {
            Duration wait;
            try {
                if (archiver.hasRoom()) {
                    archiver.complete(batch);
                    if (reported) {
                        status.info("collector pipeline '" + name + "' stored its held batch of "
                                + BatchArchiver.describe(batch) + "; going on");
                    }
                    return Outcome.DONE;
                }
                // The disk guard reports the change itself; the batch waits, unacknowledged, and
                // space is looked at again as often as the guard measures it. Its panics go out now.
                archiver.mailPanics(batch);
                wait = DISK_FULL_RECHECK;
            } catch (UnrecoverableStoreException e) {
                fatal.fail("collector pipeline '" + name + "': " + e.getMessage() + "; nothing of its batch of "
                        + BatchArchiver.describe(batch) + " acknowledged", e);
                return Outcome.GAVE_UP;
            } catch (Exception e) {
                if (!reported) {
                    status.warn("collector pipeline '" + name + "' could not store a batch of "
                            + BatchArchiver.describe(batch) + "; nothing acknowledged, retrying", e);
                    reported = true;
                }
                if (e instanceof RuntimeException bug && ++bugs >= MAX_BATCH_ATTEMPTS) {
                    lastBug = bug;
                    return Outcome.POISONED;
                }
                wait = backoff;
                backoff = backoff.multipliedBy(2).compareTo(RETRY_MAX_BACKOFF) > 0 ? RETRY_MAX_BACKOFF
                        : backoff.multipliedBy(2);
            }
            if (giveUp.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                status.warn("collector pipeline '" + name + "' stopping with a batch of "
                        + BatchArchiver.describe(batch) + " not stored; the brokers will redeliver it", null);
                return Outcome.GAVE_UP;
            }
        }
    }

    /**
     * A batch failed {@link #MAX_BATCH_ATTEMPTS} times on something other than I/O: complete its
     * deliveries one at a time, in order (acknowledgements are cumulative), and dead-letter as
     * poison each one that fails alone. If even its dead letter fails, the collector cannot go on.
     *
     * @return false if the pipeline must stop
     */
    private boolean completeOneByOne(List<Incoming> deliveries) throws InterruptedException {
        for (Incoming one : deliveries) {
            Outcome outcome = completeWithRetry(archiver.prepare(List.of(one)));
            if (outcome == Outcome.POISONED) {
                status.error("collector pipeline '" + name + "': message " + one.delivery().messageId() + " from "
                        + one.delivery().broker() + " fails every time; dead-lettering it as poison", lastBug);
                outcome = completeWithRetry(archiver.prepare(List.of(new Incoming(one.delivery(), lastBug, null))));
            }
            if (outcome == Outcome.POISONED) {
                fatal.fail("collector pipeline '" + name + "' cannot even dead-letter message "
                        + one.delivery().messageId() + ": " + lastBug, lastBug);
                return false;
            }
            if (outcome == Outcome.GAVE_UP) {
                return false;
            }
        }
        return true;
    }

    private void runQuietly(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            status.warn("collector pipeline '" + name + "': idle task failed", e);
        }
    }
}
