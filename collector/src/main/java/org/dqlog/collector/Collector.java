package org.dqlog.collector;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.dqlog.collector.config.BatchConfig;
import org.dqlog.collector.config.CollectorConfig;
import org.dqlog.collector.config.DestinationsConfig;
import org.dqlog.collector.mail.Notifier;
import org.dqlog.collector.ops.CollectorMetrics;
import org.dqlog.collector.ops.DeadLetters;
import org.dqlog.collector.ops.DiskSpaceGuard;
import org.dqlog.collector.ops.HealthServer;
import org.dqlog.archive.ArchiveStore;
import org.dqlog.archive.UnrecoverableStoreException;
import org.dqlog.core.FileModes;
import org.dqlog.core.Status;
import org.dqlog.core.config.BrokerAddress;
import org.dqlog.core.stomp.FrameCodec;
import org.dqlog.core.stomp.SessionConfig;
import org.dqlog.core.subscribe.FanInSubscriber;

/**
 * The collector daemon ({@code dqlog collector --config collector.yaml}), assembled from its
 * parts: the {@link ArchiveStore} (per-host files and index, recovered on start), the dead-letter
 * files, the disk-space guard, the panic {@link Notifier} (when mail is configured), metrics and
 * the {@code /health}+{@code /metrics} server, and two {@link FanInSubscriber}s, each with its own
 * sessions to every broker and its own {@link Pipeline}:
 * <ul>
 * <li>{@code logging}: the logging queue (and the progress topic, when archived);</li>
 * <li>{@code panic}: the panic queue, so that a backlog of log records never delays a panic.</li>
 * </ul>
 * A message is acknowledged only after its record is durable in its host's file and in the
 * index writer (or its dead letter is fsynced), and, for the panic queue, after its mail is
 * sent or queued on disk (see {@link BatchArchiver}). The index is committed about every
 * {@code index.commitInterval}, by the pipelines and by a timer, so that {@code dqlog search}
 * in another process sees new records within about that long.
 *
 * <p>{@link #close()} stops gracefully within a bound: intake stops, the queued batches are
 * completed (stored, acknowledged), the sessions close, the index is committed, and the store,
 * notifier and HTTP server close.
 *
 * <p>Thread-safe: {@link #close()} may be called from any thread (a shutdown hook), more than once.
 */
public final class Collector implements AutoCloseable {

    /** Longest {@link #close()} waits for the pipelines to complete what they hold: 15 s. */
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(15);
    /** Longest {@link #close()} waits for a commit of the timer in progress before closing the store: 10 s. */
    public static final Duration DEFAULT_COMMIT_TIMER_STOP = Duration.ofSeconds(10);
    /** Name of the subscriber (and pipeline) of the logging queue and progress topic. */
    public static final String LOGGING = "logging";
    /** Name of the subscriber (and pipeline) of the panic queue. */
    public static final String PANIC = "panic";
    /** Frames this much larger than {@code maxMessageBytes} still arrive, to be dead-lettered: 1 MiB of headers. */
    private static final int FRAME_HEADROOM_BYTES = 1024 * 1024;
    /** The worker of an idle pipeline looks at the commit clock this often at most. */
    private static final Duration MAX_IDLE_INTERVAL = Duration.ofMillis(200);

    private final CollectorConfig config;
    private final Status status;
    private final Clock mailClock;
    private final List<Closeable> parts = new ArrayList<>();
    private final CountDownLatch closedLatch = new CountDownLatch(1);
    private ArchiveStore store;
    private DiskSpaceGuard guard;
    private Notifier notifier;
    private CollectorMetrics metrics;
    private HealthServer http;
    private ScheduledExecutorService commitTimer;
    private Pipeline loggingPipeline;
    private Pipeline panicPipeline;
    private FanInSubscriber loggingSubscriber;
    private FanInSubscriber panicSubscriber;
    private int brokerCount;
    private boolean closed; // guarded by this
    private volatile String failure;

    private Collector(CollectorConfig config, Status status, Clock mailClock) {
        this.config = config;
        this.status = status;
        this.mailClock = mailClock;
    }

    /**
     * Starts the collector: recovers the archive, then starts consuming from every broker.
     * Returns once everything runs (brokers connect in the background).
     *
     * @throws IOException when the data directory, the index (also: held by another collector),
     *                     the dead-letter or mail outbox directories, or the HTTP port cannot be
     *                     used; whatever was opened is closed again
     */
    public static Collector start(CollectorConfig config, Status status) throws IOException {
        return start(config, status, Clock.systemUTC());
    }

    /**
     * As {@link #start(CollectorConfig, Status)}, with the clock of the panic mail policy (storm
     * windows, quiet windows, the hourly cap), so that a test moves those windows instead of
     * racing them. Storage, commits and timeouts follow the system clock.
     */
    public static Collector start(CollectorConfig config, Status status, Clock mailClock) throws IOException {
        Collector c = new Collector(config, status, mailClock);
        try {
            c.open();
        } catch (IOException | RuntimeException e) {
            c.abandonStart();
            throw e;
        }
        return c;
    }

    private void open() throws IOException {
        Path data = config.dataDir();
        for (String warning : config.security().warnings()) {
            status.warn(warning, null);
        }
        if (config.security().privateFiles()) {
            FileModes.createOwnerOnly(data);
        } else {
            Files.createDirectories(data);
        }
        status.info("opening the archive in " + data + " (recovering what the index lacks)");
        store = ArchiveStore.open(config.storageSettings(), Clock.systemUTC(), status);
        parts.add(store);
        DeadLetters deadLetters = DeadLetters.open(config.deadLetterDir(), config.maxMessageBytes(), status);
        parts.add(deadLetters);
        guard = DiskSpaceGuard.forDirectory(data, config.minFreeBytes(), status, null);

        NotifiedIds notified = null;
        if (config.mail().isPresent()) {
            notifier = Notifier.start(config.mail().get(), status, mailClock, Notifier.DEFAULT_POLL_INTERVAL);
            parts.add(notifier::close);
            notified = NotifiedIds.open(data, NotifiedIds.DEFAULT_CAPACITY);
            parts.add(notified);
        }

        metrics = new CollectorMetrics();
        metrics.bindDeadLetters(deadLetters);
        metrics.bindDisk(guard);
        if (notifier != null) {
            Notifier n = notifier;
            metrics.bindMail(n::mailsSent, n::pendingInOutbox, null);
        }
        metrics.indexCommitted(store.index().lastCommit());
        if (config.http().enabled()) {
            http = HealthServer.start(config.http(), metrics, status);
            parts.add(http::close);
        }

        DestinationsConfig destinations = config.destinations();
        DeliveryDecoder decoder = new DeliveryDecoder(config.maxMessageBytes(),
                destinations.archiveProgress() ? destinations.progress() : null,
                config.security().redactPanics() ? config.security().redaction() : null,
                config.security().trustBrokerUser());
        Duration idle = min(config.index().commitInterval(), MAX_IDLE_INTERVAL);
        int queueCapacity = Math.max(2 * config.batch().maxRecords(), 64);
        Clock clock = Clock.systemUTC();
        loggingPipeline = new Pipeline(LOGGING, queueCapacity, config.batch(),
                new BatchArchiver(false, decoder, store, deadLetters, guard, null, null, metrics, this::commitIfDue),
                this::commitIfDue, idle, status, clock, this::fail);
        // A panic never waits for a batch to fill: it takes what is queued and goes. Nor does its
        // worker commit the index (the timer and the logging pipeline do): a commit holds the store.
        Runnable noCommit = () -> { };
        panicPipeline = new Pipeline(PANIC, queueCapacity, new BatchConfig(config.batch().maxRecords(), Duration.ZERO),
                new BatchArchiver(true, decoder, store, deadLetters, guard, notifier, notified, metrics, noCommit),
                noCommit, idle, status, clock, this::fail);
        metrics.bindProgress(new StallWatch(clock, config.http().stallTimeout(),
                List.of(loggingPipeline, panicPipeline))::problems);
        loggingPipeline.start();
        panicPipeline.start();

        commitTimer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dqlog-collector-commit");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(10, config.index().commitInterval().toMillis() / 2);
        commitTimer.scheduleWithFixedDelay(this::commitIfDue, every, every, TimeUnit.MILLISECONDS);

        brokerCount = config.brokerResolver().resolve().size();
        SessionConfig sessions = sessionConfig(config);
        BrokerHealth health = new BrokerHealth(metrics, 2);
        panicSubscriber = FanInSubscriber.builder(config.brokerResolver())
                .name(PANIC)
                .destinations(destinations.panic())
                .prefetch(config.prefetch())
                .sessionConfig(sessions)
                .status(status)
                .stateListener(health)
                .handler(panicPipeline)
                .start();
        List<String> logging = new ArrayList<>(List.of(destinations.logging()));
        if (destinations.archiveProgress()) {
            logging.add(destinations.progress());
        }
        loggingSubscriber = FanInSubscriber.builder(config.brokerResolver())
                .name(LOGGING)
                .destinations(logging.toArray(new String[0]))
                .selector(destinations.selector())
                .prefetch(config.prefetch())
                .sessionConfig(sessions)
                .status(status)
                .stateListener(health)
                .handler(loggingPipeline)
                .start();
        status.info("collector consuming " + logging + " and " + destinations.panic() + " from " + brokerCount
                + " broker(s): " + config.brokers());
    }

    /**
     * Every session's settings: the configured credentials and TLS, and a frame limit above
     * {@code maxMessageBytes}, so that an oversize message arrives and is dead-lettered instead of
     * breaking the session (and coming back for ever).
     */
    static SessionConfig sessionConfig(CollectorConfig config) {
        long frame = Math.max(FrameCodec.DEFAULT_MAX_FRAME_BYTES, 2 * config.maxMessageBytes() + FRAME_HEADROOM_BYTES);
        return SessionConfig.builder()
                .credentials(config.credentials())
                .tls(config.tls())
                .maxFrameBytes((int) Math.min(Integer.MAX_VALUE - 1024, frame))
                .build();
    }

    /** Commits the index if {@code index.commitInterval} has passed; called by the pipelines and the timer. */
    private void commitIfDue() {
        try {
            if (store.commitIfDue()) {
                Instant at = store.index().lastCommit();
                metrics.indexCommitted(at != null ? at : Instant.now());
            }
        } catch (IllegalStateException e) {
            // closed meanwhile: the final commit of close() covers everything
        } catch (UnrecoverableStoreException e) {
            fail("the index cannot commit: " + e.getMessage(), e);
        } catch (IOException e) {
            status.warn("index commit failed; retrying with the next batch", e);
        }
    }

    /**
     * What the collector cannot survive in this process (a pipeline worker that died, a failed
     * fsync, an index writer closed by an I/O error): {@code /health} fails with the reason, the
     * store is abandoned without a commit (nothing more is acknowledged; what the index lacks is
     * recovered from the files at the next start), and the collector closes, so that {@link
     * CollectorMain} exits with {@link CollectorMain#EXIT_FAILED} and systemd restarts it.
     */
    void fail(String reason, Throwable cause) {
        if (cause instanceof UnrecoverableStoreException u && u.isAftermath()) {
            return; // the store was abandoned for a failure reported already
        }
        metrics.fatal(reason);
        synchronized (this) {
            if (failure != null) {
                status.warn("collector, stopping after a failure, also: " + reason, cause);
                return;
            }
            failure = reason;
        }
        status.error("collector cannot go on: " + reason + "; stopping so that a restart recovers", cause);
        store.abandon(reason);
        Thread closer = new Thread(this::close, "dqlog-collector-fatal");
        closer.setDaemon(false);
        closer.start();
    }

    /** Why the collector stopped on its own, if it did (see {@link #fail}). */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /** The store both pipelines archive into (tests hold it to play a long commit). */
    ArchiveStore store() {
        return store;
    }

    /** The absolute data directory. */
    public Path dataDir() {
        return config.dataDir();
    }

    public CollectorConfig config() {
        return config;
    }

    /** {@code http://127.0.0.1:PORT/}, if the health server runs. */
    public Optional<URI> httpUri() {
        return Optional.ofNullable(http).map(HealthServer::baseUri);
    }

    /** The port of {@code /health} and {@code /metrics}, or -1 when disabled. */
    public int httpPort() {
        return http == null ? -1 : http.port();
    }

    /** Broker addresses consumed from at start (a name with several addresses counts several times). */
    public int brokerCount() {
        return brokerCount;
    }

    public CollectorMetrics metrics() {
        return metrics;
    }

    /** The panic notifier, when mail is configured. */
    public Optional<Notifier> notifier() {
        return Optional.ofNullable(notifier);
    }

    /** The disk-space guard; tests and operators may change its threshold at run time. */
    public DiskSpaceGuard diskSpaceGuard() {
        return guard;
    }

    /** Waits until {@link #close()} has finished; true if it did within {@code timeout}. */
    public boolean awaitClosed(Duration timeout) throws InterruptedException {
        return closedLatch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits until {@link #close()} has finished. */
    public void awaitClosed() throws InterruptedException {
        closedLatch.await();
    }

    /**
     * Stops gracefully: no new deliveries are taken, what the pipelines hold is stored and
     * acknowledged (for at most {@link #DEFAULT_DRAIN_TIMEOUT}; what is left then is redelivered
     * by the brokers), the sessions close, the index is committed, and everything else closes.
     * Idempotent; never throws.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            status.info("collector stopping: completing the batches in hand");
            loggingPipeline.stopIntake();
            panicPipeline.stopIntake();
            long deadline = System.nanoTime() + DEFAULT_DRAIN_TIMEOUT.toNanos();
            try {
                boolean panicsDone = panicPipeline.awaitDrained(left(deadline));
                boolean logsDone = loggingPipeline.awaitDrained(left(deadline));
                if (!panicsDone || !logsDone) {
                    status.warn("collector stopped before storing everything it had received; the brokers"
                            + " redeliver the rest", null);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            // After the last acknowledgement: closing the sessions makes the brokers redeliver what was turned away.
            Thread panicClose = new Thread(panicSubscriber::close, "dqlog-collector-close-panic");
            panicClose.start();
            loggingSubscriber.close();
            try {
                panicClose.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } catch (RuntimeException e) {
            status.error("collector: trouble while stopping", e);
        } finally {
            closeParts();
            status.info("collector stopped");
            closedLatch.countDown();
        }
    }

    /** start() failed half-way: stop what runs (nothing can have been acknowledged yet) and close the rest. */
    private void abandonStart() {
        for (Pipeline p : new Pipeline[] {loggingPipeline, panicPipeline}) {
            if (p != null) {
                p.stopIntake();
            }
        }
        for (FanInSubscriber s : new FanInSubscriber[] {loggingSubscriber, panicSubscriber}) {
            if (s != null) {
                s.close();
            }
        }
        closeParts();
        closedLatch.countDown();
    }

    private void closeParts() {
        stopCommitTimer();
        for (int i = parts.size() - 1; i >= 0; i--) {
            try {
                parts.get(i).close();
            } catch (IOException | RuntimeException e) {
                status.warn("collector: could not close " + parts.get(i), e);
            }
        }
        parts.clear();
    }

    /**
     * Stops the commit timer without interrupting it, and waits for a commit in progress. An
     * interrupt during Lucene's file I/O closes the channel under the {@code IndexWriter}, which
     * then closes itself as after a disk failure and drops everything not yet committed: the
     * last batches, stored in the files but missing from the index until the next start.
     */
    private void stopCommitTimer() {
        if (commitTimer == null) {
            return;
        }
        commitTimer.shutdown();
        try {
            if (!commitTimer.awaitTermination(DEFAULT_COMMIT_TIMER_STOP.toMillis(), TimeUnit.MILLISECONDS)) {
                // still committing: the store's close waits for it (both hold the store's lock)
                status.warn("collector: the index commit in progress is slow; closing the store after it", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Duration left(long deadlineNanos) {
        return Duration.ofNanos(Math.max(1_000_000, deadlineNanos - System.nanoTime()));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public String toString() {
        return "Collector[data=" + config.dataDir() + ", brokers=" + config.brokers().stream()
                .map(BrokerAddress::toString).reduce((a, b) -> a + "," + b).orElse("") + "]";
    }
}
