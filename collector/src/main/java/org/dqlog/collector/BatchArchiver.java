package org.dqlog.collector;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.dqlog.collector.mail.Notifier;
import org.dqlog.collector.ops.CollectorMetrics;
import org.dqlog.collector.ops.DeadLetter;
import org.dqlog.collector.ops.DeadLetters;
import org.dqlog.collector.ops.DiskSpaceGuard;
import org.dqlog.archive.ArchiveStore;
import org.dqlog.core.LogRecord;
import org.dqlog.core.subscribe.AckGroup;
import org.dqlog.core.subscribe.Delivery;

/**
 * What one pipeline does with a batch of deliveries, in the order that makes acknowledging safe:
 * decode (once), hand new panics of the panic queue to the notifier (on disk in its outbox when
 * it returns) and note their ids in {@link NotifiedIds}, write the dead letters (fsynced),
 * archive the records (files fsynced, index writer fed: {@link ArchiveStore#archive}), and only
 * then acknowledge the whole batch ({@link AckGroup}). Panics are mailed first so that their mail
 * never waits for the store, which the logging pipeline may hold for a batch or an index commit;
 * a batch held for want of disk space has its panics mailed meanwhile ({@link #mailPanics}). Every step is idempotent, so after an
 * {@link IOException} the same batch is simply completed again: nothing is acknowledged before
 * everything is durable, and nothing is stored or mailed twice.
 *
 * <p>Not thread-safe, except {@link #decode}: one pipeline's worker thread owns it; the parts it
 * shares with the other pipeline (store, dead letters, notifier, notified ids) are thread-safe
 * themselves.
 */
final class BatchArchiver {

    private final boolean panicQueue;
    private final DeliveryDecoder decoder;
    private final ArchiveStore store;
    private final DeadLetters deadLetters;
    private final DiskSpaceGuard guard;
    private final Notifier notifier;
    private final NotifiedIds notified;
    private final CollectorMetrics metrics;
    private final Runnable afterBatch;

    /**
     * @param panicQueue whether this pipeline consumes the panic queue (its panics are mailed)
     * @param notifier   null when mail is off; then {@code notified} is null too
     * @param afterBatch run after each acknowledged batch (commits the index when due)
     */
    BatchArchiver(boolean panicQueue, DeliveryDecoder decoder, ArchiveStore store, DeadLetters deadLetters,
            DiskSpaceGuard guard, Notifier notifier, NotifiedIds notified, CollectorMetrics metrics,
            Runnable afterBatch) {
        this.panicQueue = panicQueue;
        this.decoder = decoder;
        this.store = store;
        this.deadLetters = deadLetters;
        this.guard = guard;
        this.notifier = notifier;
        this.notified = notified;
        this.metrics = metrics;
        this.afterBatch = afterBatch;
    }

    /** A batch on its way: the deliveries in arrival order and what they decoded to (a LogBatch delivery: many records). */
    static final class Batch {
        final List<Delivery> deliveries;
        final List<LogRecord> records = new ArrayList<>();
        final List<DeadLetter> deadLetters = new ArrayList<>();
        boolean deadLettersWritten;
        boolean archived;
        boolean notified;

        Batch(List<Delivery> deliveries) {
            this.deliveries = List.copyOf(deliveries);
        }

        int size() {
            return deliveries.size();
        }
    }

    /**
     * Decodes every delivery (a poison one straight to its dead letter, a batch into its records
     * and the dead letters of its bad lines); counts records and dead letters as received. Never throws.
     */
    Batch prepare(List<Pipeline.Incoming> incoming) {
        List<Delivery> deliveries = new ArrayList<>(incoming.size());
        for (Pipeline.Incoming i : incoming) {
            deliveries.add(i.delivery());
        }
        Batch batch = new Batch(deliveries);
        for (Pipeline.Incoming i : incoming) {
            DeliveryDecoder.Decoded decoded = i.poison() != null ? decoder.poison(i.delivery(), i.poison())
                    : i.decoded() != null ? i.decoded() : decode(i.delivery());
            batch.records.addAll(decoded.records);
            batch.deadLetters.addAll(decoded.deadLetters);
        }
        metrics.recordsReceived(batch.records.size() + batch.deadLetters.size());
        if (panicQueue && !batch.records.isEmpty()) {
            metrics.panicsReceived(batch.records.size());
        }
        return batch;
    }

    /** What one delivery decodes to; thread-safe (any reader thread may call it). Never throws. */
    DeliveryDecoder.Decoded decode(Delivery delivery) {
        return decoder.decode(delivery, panicQueue);
    }

    /** Whether the data directory has room to store anything now (measured at most once a second). */
    boolean hasRoom() {
        return guard.hasRoom();
    }

    /**
     * Makes the batch durable, mails its panics, and acknowledges it. Safe to call again with the
     * same batch after it threw.
     *
     * @throws IOException when a file, the index or the mail outbox failed; nothing was acknowledged
     */
    void complete(Batch batch) throws IOException {
        mailPanics(batch);
        if (!batch.deadLettersWritten) {
            deadLetters.writeAll(batch.deadLetters);
            batch.deadLettersWritten = true;
        }
        if (!batch.archived && !batch.records.isEmpty()) {
            Set<String> fresh = store.archive(batch.records);
            metrics.recordsArchived(fresh.size());
            metrics.duplicates(batch.records.size() - fresh.size());
        }
        batch.archived = true;
        AckGroup.ackAll(batch.deliveries);
        afterBatch.run();
    }

    /**
     * Mails the batch's panics (if this is the panic queue and mail is on) without storing or
     * acknowledging anything: for a batch held because the disk is below {@code minFreeBytes},
     * since the outbox needs only a small file per panic and a full disk is when operators most
     * need to hear of panics. The batch is completed later as usual and mails nothing again.
     */
    void mailPanics(Batch batch) throws IOException {
        if (panicQueue && notifier != null && !batch.notified && !batch.records.isEmpty()) {
            notifyOnce(batch.records);
        }
        batch.notified = true;
    }

    /** Hands each panic whose id was never notified to the notifier, then records the ids. */
    private void notifyOnce(List<LogRecord> records) throws IOException {
        List<String> accepted = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (LogRecord r : records) {
            if (!seen.add(r.id()) || notified.contains(r.id())) {
                continue;
            }
            notifier.accept(r);
            accepted.add(r.id());
        }
        notified.addAll(accepted);
    }

    /** For reports: never a record's content. */
    static String describe(Batch batch) {
        return batch.size() + " messages (" + batch.records.size() + " records, " + batch.deadLetters.size()
                + " dead letters)";
    }
}
