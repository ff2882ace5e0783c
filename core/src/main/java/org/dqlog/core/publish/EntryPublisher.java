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
        return announce(entries, owners, publisher.publish(batch, timeLimit));
    }

    /**
     * Sends {@code entries} on the open connection (connecting first if there is none) without
     * waiting for the broker: the {@link SendWindow} waits for the flight's receipts later.
     *
     * @throws PublishException when no broker accepted a connection
     */
    Dispatched dispatch(List<SpoolEntry> entries) throws PublishException {
        List<int[]> owners = new ArrayList<>();
        List<OutboundMessage> batch = messages.messages(entries, owners);
        return new Dispatched(entries, batch, owners, publisher.dispatch(batch));
    }

    /**
     * After a broker refused message {@code refused} of a dispatched flight (its ERROR named the
     * receipt): keeps that message's records aside, then sends the flight's messages after
     * {@code confirmedUpTo} again (to any broker, waiting for them), except the refused one.
     *
     * @return WARN records about refused messages, to send next
     * @throws PublishException when no broker confirmed the rest
     */
    List<SpoolEntry> refusedInFlight(Dispatched d, int refused, int confirmedUpTo, String reason, Duration timeLimit)
            throws PublishException {
        List<Refusal> refusals = new ArrayList<>(List.of(new Refusal(refused, d.messages.get(refused), reason)));
        List<OutboundMessage> rest = new ArrayList<>();
        List<Integer> restIndex = new ArrayList<>();
        for (int i = confirmedUpTo + 1; i < d.messages.size(); i++) {
            if (i != refused) {
                rest.add(d.messages.get(i));
                restIndex.add(i);
            }
        }
        if (!rest.isEmpty()) {
            for (Refusal r : publisher.publish(rest, timeLimit)) {
                int index = restIndex.get(r.index());
                refusals.add(new Refusal(index, d.messages.get(index), r.reason()));
            }
        }
        return announce(d.entries, d.owners, refusals);
    }

    /** Keeps each refused message's records in the dead-letter file; the WARN records that say so. */
    private List<SpoolEntry> announce(List<SpoolEntry> entries, List<int[]> owners, List<Refusal> refusals) {
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

    /** A flight and what it carries: the entries, their messages, and per message the entries it holds. */
    static final class Dispatched {
        final List<SpoolEntry> entries;
        final List<OutboundMessage> messages;
        final List<int[]> owners;
        final Publisher.Flight flight;

        Dispatched(List<SpoolEntry> entries, List<OutboundMessage> messages, List<int[]> owners, Publisher.Flight flight) {
            this.entries = entries;
            this.messages = messages;
            this.owners = owners;
            this.flight = flight;
        }
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
