package org.dqlog.collector.mail;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.dqlog.core.LogRecord;
import org.dqlog.core.Status;

/**
 * Turns panics into e-mail, durably. {@link #accept} puts the panic in the outbox directory on
 * disk (forced, atomically renamed) and returns; from then on the collector may acknowledge the
 * broker message. One sender thread decides with {@link MailScheduler} what to mail when (storm
 * coalescing, quiet windows, rate limit with digests), sends over SMTP, and deletes a panic's
 * file only after the server accepted the mail that covers it. While the server fails, it
 * retries the same mail with exponential backoff ({@link MailSettings#retryInitialBackoff()} up to
 * {@link MailSettings#retryMaxBackoff()}), keeping order.
 *
 * <p>On start the outbox is read back: what was pending is mailed, one mail per storm. Storm and
 * rate state is kept in memory only, so a restart can send one extra mail per storm. Delivery is
 * at least once: a crash between the server's acceptance and the file's deletion repeats a mail.
 * Policy decisions (storm and quiet windows, the hourly cap, dates) follow the injected
 * {@link Clock}; retry backoff and polling follow real elapsed time, because they are about how
 * soon a real server comes back.
 *
 * <p>Thread-safe: {@link #accept} may be called from any number of threads; the metrics
 * accessors may be read from any thread.
 */
public final class Notifier implements AutoCloseable {

    /** Default longest pause of the sender thread between looks at the clock. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
    /** How long {@link #close()} waits for a send in progress. */
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private static final int LOCK_STRIPES = 64;

    private final MailSettings settings;
    private final Clock clock;
    private final Status status;
    private final Duration pollInterval;
    private final Outbox outbox;
    private final SmtpSender smtp;
    private final MailScheduler scheduler;
    private final Set<String> pendingKeys = ConcurrentHashMap.newKeySet();
    private final Object[] keyLocks = new Object[LOCK_STRIPES];
    private final BlockingQueue<PendingPanic> inbox = new LinkedBlockingQueue<>();
    private final Thread sender;
    private volatile boolean closed;

    private final AtomicLong mailsSent = new AtomicLong();
    private final AtomicLong panicsAccepted = new AtomicLong();
    private volatile int mailsHeld;
    private volatile String lastSendError;
    private volatile boolean sendFailing;

    private Notifier(MailSettings settings, Status status, Clock clock, Duration pollInterval) throws IOException {
        this.settings = settings;
        this.clock = clock;
        this.status = status;
        this.pollInterval = pollInterval;
        this.outbox = new Outbox(settings.outboxDir(), status);
        this.smtp = new SmtpSender(settings, clock);
        this.scheduler = new MailScheduler(settings);
        for (int i = 0; i < LOCK_STRIPES; i++) {
            keyLocks[i] = new Object();
        }
        List<PendingPanic> pending = outbox.loadAll();
        pending.forEach(p -> pendingKeys.add(p.key()));
        scheduler.restore(pending, clock.instant());
        if (!pending.isEmpty()) {
            status.info(pending.size() + " panic(s) pending in the mail outbox " + outbox.dir() + " will be mailed");
        }
        this.sender = new Thread(this::run, "dqlog-mail-sender");
        sender.setDaemon(true);
    }

    /** Opens the outbox, queues what it holds, and starts the sender thread; system clock. */
    public static Notifier start(MailSettings settings, Status status) throws IOException {
        return start(settings, status, Clock.systemUTC(), DEFAULT_POLL_INTERVAL);
    }

    /**
     * As {@link #start(MailSettings, Status)}, with the clock that drives storm windows, quiet
     * windows and the hourly cap, and the longest pause between looks at that clock.
     */
    public static Notifier start(MailSettings settings, Status status, Clock clock, Duration pollInterval)
            throws IOException {
        Notifier n = new Notifier(settings, status, clock, pollInterval);
        n.sender.start();
        return n;
    }

    /**
     * Takes a panic. Returns once the panic is durably in the outbox; mailing happens in the
     * background. A record whose id is already pending is ignored (idempotent); a record without
     * an id is treated as unique.
     *
     * @throws IOException           if the panic could not be written; it is then not queued
     *                               and must not be acknowledged
     * @throws IllegalStateException after {@link #close()}
     */
    public void accept(LogRecord panic) throws IOException {
        if (closed) {
            throw new IllegalStateException("the panic notifier is closed");
        }
        String key = Outbox.keyFor(panic.id() != null ? panic.id() : UUID.randomUUID().toString());
        // Same-id callers wait for the first one's write, so neither returns before the file is durable.
        synchronized (keyLocks[Math.floorMod(key.hashCode(), LOCK_STRIPES)]) {
            if (pendingKeys.contains(key)) {
                return;
            }
            PendingPanic p = new PendingPanic(key, panic, clock.instant());
            outbox.write(p);
            pendingKeys.add(key);
            inbox.add(p);
            // Counted once the sender can see it: whoever reads the count knows the sender has it.
            panicsAccepted.incrementAndGet();
        }
    }

    /** Mails the SMTP server accepted (a digest or a storm follow-up counts as one). */
    public long mailsSent() {
        return mailsSent.get();
    }

    /**
     * Panics taken by {@link #accept} since start (duplicates of pending ids not counted); each
     * counted one is already queued for the sender thread.
     */
    public long panicsAccepted() {
        return panicsAccepted.get();
    }

    /** Panics in the outbox whose mail the SMTP server has not accepted yet. */
    public int pendingInOutbox() {
        return pendingKeys.size();
    }

    /** Notices held back by a quiet window or by the hourly cap, as of the sender's last pass. */
    public int mailsHeld() {
        return mailsHeld;
    }

    /** The most recent failure to hand a mail to the SMTP server, if any ever happened. */
    public Optional<String> lastSendError() {
        return Optional.ofNullable(lastSendError);
    }

    /** True while the SMTP server keeps failing (from a failure until the next success). */
    public boolean sendFailing() {
        return sendFailing;
    }

    public MailSettings settings() {
        return settings;
    }

    /**
     * Stops the sender thread, waiting at most {@link #DEFAULT_CLOSE_TIMEOUT} for a send in
     * progress. Whatever is not mailed stays in the outbox for the next start. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        sender.interrupt();
        try {
            sender.join(DEFAULT_CLOSE_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (sender.isAlive()) {
            status.warn("panic mail sender still busy after " + DEFAULT_CLOSE_TIMEOUT + "; unsent panics stay in "
                    + outbox.dir(), null);
        }
    }

    private void run() {
        Deque<MailScheduler.Outgoing> unsent = new ArrayDeque<>();
        Duration backoff = settings.retryInitialBackoff();
        long nextAttemptNanos = System.nanoTime();
        PendingPanic arrived = null;
        while (!closed) {
            try {
                // Read the clock before draining: every panic accepted before this instant is drained now.
                var now = clock.instant();
                if (arrived != null) {
                    scheduler.add(arrived);
                }
                List<PendingPanic> batch = new ArrayList<>();
                inbox.drainTo(batch);
                batch.forEach(scheduler::add);
                unsent.addAll(scheduler.due(now));
                mailsHeld = scheduler.heldCount();
                if (!unsent.isEmpty() && System.nanoTime() - nextAttemptNanos >= 0) {
                    if (sendAll(unsent)) {
                        backoff = settings.retryInitialBackoff();
                    } else {
                        nextAttemptNanos = System.nanoTime() + backoff.toNanos();
                        backoff = min(backoff.multipliedBy(2), settings.retryMaxBackoff());
                    }
                }
                long waitNanos = pollInterval.toNanos();
                if (!unsent.isEmpty()) {
                    waitNanos = Math.max(1, Math.min(waitNanos, nextAttemptNanos - System.nanoTime()));
                }
                arrived = inbox.poll(waitNanos, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // A bug must not kill the only thread that mails panics; the files are still on disk.
                status.error("panic mail sender failed; pending panics stay in " + outbox.dir(), e);
                arrived = null;
                try {
                    Thread.sleep(pollInterval.toMillis());
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** Sends in order until one fails; returns true if everything went. */
    private boolean sendAll(Deque<MailScheduler.Outgoing> unsent) {
        while (!unsent.isEmpty() && !closed) {
            MailScheduler.Outgoing o = unsent.peekFirst();
            try {
                smtp.send(o.mail());
            } catch (Exception e) {
                lastSendError = PanicMail.headerSafe(e.getClass().getSimpleName() + ": " + e.getMessage());
                if (!sendFailing) {
                    status.warn("cannot send panic mail via " + settings.smtpHost() + ":" + settings.smtpPort()
                            + " (will retry; " + pendingKeys.size() + " panic(s) wait in " + outbox.dir() + ")", e);
                }
                // Set after the report, so whoever sees the flag also finds the report.
                sendFailing = true;
                return false;
            }
            unsent.pollFirst();
            outbox.delete(o.covered());
            o.covered().forEach(p -> pendingKeys.remove(p.key()));
            mailsSent.incrementAndGet();
            if (sendFailing) {
                sendFailing = false;
                status.info("panic mail works again via " + settings.smtpHost() + ":" + settings.smtpPort());
            }
        }
        return unsent.isEmpty();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
