package org.dqlog.core.publish;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;

import org.dqlog.core.spool.SpoolEntry;

/**
 * Keeps the pipe to the broker full: the sender hands it batches, and it sends each at once on the
 * open connection while up to {@code window} earlier ones still wait for their receipts; only then
 * does it wait, for the oldest. A batch counts as delivered only when its receipts arrived.
 *
 * <p>When a flight fails (an ERROR frame, a broken or silent connection, a receipt that does not
 * come), the connection is given up and EVERY unconfirmed batch of the window is sent again, in
 * order, through {@link EntryPublisher#publish}: that call fails over to the next broker and deals
 * with a message a broker refuses for good (dead-letter file, announcement) as a single batch
 * always did. When the ERROR names one message of the oldest flight by its receipt, that
 * message's records go to the dead-letter file at once and only the flight's unconfirmed rest is
 * sent again. Duplicates are possible across a failover; the collector deduplicates by id. If no
 * broker takes them, the batches go back to the buffer and the {@link PublishException} goes up.
 *
 * <p>Panics never wait behind log records: a panic that reaches memory while the window waits is
 * sent at once, past the window's size, and after a failover the batches carrying panics, and
 * the panics waiting in memory, are sent again first.
 *
 * <p>Every so often ({@link Publisher#rebalanceDue()}) it drains the window and lets the publisher
 * move to a broker picked at random, so that producers spread over brokers that came back.
 *
 * <p>Not thread-safe: the sender thread alone uses it.
 */
final class SendWindow {

    /** What happens to a batch once its fate is known. */
    interface Outcome {
        /** A broker confirmed the batch; {@code sent} of its records (the rest were refused for good). */
        void delivered(RecordBuffer.Batch batch, int sent, List<SpoolEntry> announcements);

        /** No broker confirmed the batch. */
        void undelivered(RecordBuffer.Batch batch);
    }

    /** Panics that wait in memory, to go ahead of whatever the window is waiting for. */
    interface WaitingPanics {
        /** The next batch of panics in memory, or null if none waits. */
        RecordBuffer.Batch next();
    }

    private final Publisher publisher;
    private final EntryPublisher entries;
    private final int window;
    private final Duration receiptTimeout;
    private final Outcome outcome;
    private final WaitingPanics waitingPanics;
    private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();

    SendWindow(Publisher publisher, EntryPublisher entries, int window, Duration receiptTimeout, Outcome outcome,
               WaitingPanics waitingPanics) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1, was " + window);
        }
        this.publisher = publisher;
        this.entries = entries;
        this.window = window;
        this.receiptTimeout = receiptTimeout;
        this.outcome = outcome;
        this.waitingPanics = waitingPanics;
    }

    /** Batches sent and not yet confirmed. */
    int size() {
        return inFlight.size();
    }

    /**
     * Sends {@code batch} without waiting for it, after waiting for the oldest batch if the window
     * is full.
     *
     * @throws PublishException when no broker took the unconfirmed batches; they (and this one) went back to the buffer
     */
    void send(RecordBuffer.Batch batch, Duration timeLimit) throws PublishException {
        try {
            if (publisher.rebalanceDue()) {
                flush(timeLimit);
                publisher.rebalance();
            }
            while (inFlight.size() >= window) {
                sendPanicsOrAwaitOldest(timeLimit);
            }
        } catch (PublishException e) {
            outcome.undelivered(batch);
            throw e;
        }
        dispatch(batch);
    }

    /** Sends {@code batch} on the open connection without waiting; if that fails, gives it and everything in flight back and throws. */
    private void dispatch(RecordBuffer.Batch batch) throws PublishException {
        EntryPublisher.Dispatched flight;
        try {
            flight = entries.dispatch(batch.entries);
        } catch (PublishException e) {
            outcome.undelivered(batch);
            abandon();
            throw e;
        }
        inFlight.add(new InFlight(batch, flight));
    }

    /**
     * Waits until every batch in flight is confirmed (or sent again elsewhere).
     *
     * @throws PublishException when no broker took the unconfirmed batches; they went back to the buffer
     */
    void flush(Duration timeLimit) throws PublishException {
        while (!inFlight.isEmpty()) {
            sendPanicsOrAwaitOldest(timeLimit);
        }
    }

    /** A panic that came while the window waits goes out at once (past the window's size); else waits for the oldest batch. */
    private void sendPanicsOrAwaitOldest(Duration timeLimit) throws PublishException {
        RecordBuffer.Batch panics = waitingPanics.next();
        if (panics != null) {
            dispatch(panics);
        } else {
            awaitOldest(timeLimit);
        }
    }

    /** Gives every unconfirmed batch in flight back to the buffer (the sender is going offline or stopping). */
    void abandon() {
        while (!inFlight.isEmpty()) {
            InFlight f = inFlight.poll();
            if (f.flight.flight.isConfirmed()) {
                outcome.delivered(f.batch, f.batch.entries.size(), List.of());
            } else {
                outcome.undelivered(f.batch);
            }
        }
    }

    private void awaitOldest(Duration timeLimit) throws PublishException {
        InFlight oldest = inFlight.peek();
        boolean confirmed;
        try {
            confirmed = oldest.flight.flight.await(receiptTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            confirmed = false;
        }
        if (confirmed) {
            inFlight.poll();
            outcome.delivered(oldest.batch, oldest.batch.entries.size(), List.of());
            return;
        }
        Publisher.Flight failed = oldest.flight.flight;
        publisher.giveUp(failed, unconfirmedRecords());
        int refused = failed.refusedMessage();
        if (refused >= 0) {
            // the broker refused one message for good: keep it aside, send the rest of this flight again
            inFlight.poll();
            long refusedBefore = entries.refused();
            List<SpoolEntry> announcements;
            try {
                announcements = entries.refusedInFlight(oldest.flight, refused, failed.confirmedUpTo(),
                        failed.failure().getMessage(), timeLimit);
            } catch (PublishException e) {
                outcome.undelivered(oldest.batch);
                abandon();
                throw e;
            }
            outcome.delivered(oldest.batch, sentOf(oldest.batch, refusedBefore), announcements);
        }
        resendAll(timeLimit);
    }

    private int sentOf(RecordBuffer.Batch batch, long refusedBefore) {
        return (int) (batch.entries.size() - (entries.refused() - refusedBefore));
    }

    private int unconfirmedRecords() {
        int n = 0;
        for (InFlight f : inFlight) {
            n += f.batch.entries.size();
        }
        return n;
    }

    /**
     * Sends every batch of the window again, each waiting for its broker: the batches carrying
     * panics first, and before each batch the panics waiting in memory, so that a panic never
     * waits behind log records being sent again after a failover.
     */
    private void resendAll(Duration timeLimit) throws PublishException {
        while (!inFlight.isEmpty()) {
            RecordBuffer.Batch panics;
            while ((panics = waitingPanics.next()) != null) {
                resend(panics, timeLimit);
            }
            InFlight f = panicsFirst();
            inFlight.remove(f);
            resend(f.batch, timeLimit);
        }
    }

    /** The oldest flight carrying a panic, or else the oldest. */
    private InFlight panicsFirst() {
        for (InFlight f : inFlight) {
            if (f.batch.entries.stream().anyMatch(SpoolEntry::isPanic)) {
                return f;
            }
        }
        return inFlight.peek();
    }

    /** Publishes a batch no longer in the window, failing over as need be; if no broker takes it, gives it and the window back and throws. */
    private void resend(RecordBuffer.Batch batch, Duration timeLimit) throws PublishException {
        long refusedBefore = entries.refused();
        List<SpoolEntry> announcements;
        try {
            announcements = entries.publish(batch.entries, timeLimit);
        } catch (PublishException e) {
            outcome.undelivered(batch);
            abandon();
            throw e;
        }
        outcome.delivered(batch, sentOf(batch, refusedBefore), announcements);
    }

    private static final class InFlight {
        final RecordBuffer.Batch batch;
        final EntryPublisher.Dispatched flight;

        InFlight(RecordBuffer.Batch batch, EntryPublisher.Dispatched flight) {
            this.batch = batch;
            this.flight = flight;
        }
    }
}
