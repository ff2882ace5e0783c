package org.dqlog.core.publish;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.dqlog.core.Status;
import org.dqlog.core.spool.SpoolEntry;

/**
 * Sends entries through a {@link Publisher} and deals with the messages a broker refuses for
 * good: each goes to the {@link DeadLetterFile} (if there is one), is counted, reported on the
 * status channel, and announced by a WARN record that the caller sends on; delivery of everything
 * else goes on. Used by the sender for its own buffer and by {@link SpoolDrainer}.
 *
 * <p>Not thread-safe: one sending thread.
 */
final class EntryPublisher {

    private final Publisher publisher;
    private final MessageFactory messages;
    private final NoticeRecords notices;
    private final java.util.function.Supplier<DeadLetterFile> deadLetterFile;
    private final ThrottledStatus refusalReports;
    private long refused;
    /** Ids of recent announcements, so that a refused announcement does not make another one. */
    private final java.util.Set<String> announced = java.util.Collections.newSetFromMap(
            new java.util.LinkedHashMap<String, Boolean>() {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<String, Boolean> eldest) {
                    return size() > 1000;
                }
            });

    /** @param deadLetters the dead-letter file now (beside the spool in use), or null if there is none */
    EntryPublisher(Publisher publisher, MessageFactory messages, NoticeRecords notices,
                   java.util.function.Supplier<DeadLetterFile> deadLetters, Status status, Duration statusInterval) {
        this.publisher = publisher;
        this.messages = messages;
        this.notices = notices;
        this.deadLetterFile = deadLetters;
        this.refusalReports = new ThrottledStatus(status, statusInterval);
    }

    /**
     * Sends {@code entries}; returns once a broker confirmed every message but the refused ones.
     *
     * @return WARN records about refused messages, to send next (empty when none was refused)
     * @throws PublishException when no broker confirmed the batch: the caller keeps it
     */
    List<SpoolEntry> publish(List<SpoolEntry> entries, Duration timeLimit) throws PublishException {
        if (entries.isEmpty()) {
            return List.of();
        }
        List<int[]> owners = new ArrayList<>();
        List<OutboundMessage> batch = messages.messages(entries, owners);
        List<Refusal> refusals = publisher.publish(batch, timeLimit);
        if (refusals.isEmpty()) {
            return List.of();
        }
        List<SpoolEntry> announcements = new ArrayList<>(refusals.size());
        for (Refusal refusal : refusals) {
            // a refused batch: each of its records is kept and announced on its own
            for (int owner : owners.get(refusal.index())) {
                SpoolEntry entry = entries.get(owner);
                SpoolEntry notice = deadLetter(entry, refusal);
                // an announcement refused in turn (the logging queue itself refused) is not announced again
                if (!announced.remove(entry.id())) {
                    announced.add(notice.id());
                    announcements.add(notice);
                }
            }
        }
        return announcements;
    }

    /**
     * Sends {@code entries} on the open connection (connecting first if there is none) without
     * waiting for the broker: the {@link SendWindow} waits for the flight's receipts later.
     *
     * @throws PublishException when no broker accepted a connection
     */
    Publisher.Flight dispatch(List<SpoolEntry> entries) throws PublishException {
        return publisher.dispatch(messages.messages(entries, new ArrayList<>()));
    }

    /** Messages refused so far. */
    long refused() {
        return refused;
    }

    private SpoolEntry deadLetter(SpoolEntry entry, Refusal refusal) {
        refused++;
        String destination = refusal.message().destination();
        String keptIn;
        DeadLetterFile deadLetters = deadLetterFile.get();
        if (deadLetters == null) {
            keptIn = "not kept (no spool directory)";
        } else {
            try {
                keptIn = deadLetters.append(destination, refusal.reason(), entry.copyOfBody())
                        ? "kept in " + deadLetters.path() : "not kept (" + deadLetters.path() + " is full)";
            } catch (IOException e) {
                keptIn = "not kept (" + deadLetters.path() + ": " + e.getMessage() + ")";
            }
        }
        refusalReports.error("dqlog: a broker refused record " + entry.id() + " for " + destination + " ("
                + refusal.reason() + "); " + keptIn + "; " + refused + " refused so far, delivery goes on", null);
        return notices.refused(entry.id(), destination, refusal.reason(), keptIn);
    }
}
