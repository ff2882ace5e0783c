package org.dqlog.collector.mail;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.dqlog.core.LogRecord;

/**
 * Something the scheduler wants to tell someone: one panic, or N identical ones (a storm
 * follow-up, or several held together), with the outbox entries it stands for. Once the mail
 * carrying it is accepted by SMTP, those entries are deleted.
 *
 * <p>Not thread-safe: only the notifier's sender thread touches notices.
 */
final class Notice {

    private final StormKey key;
    private final Routing.Route route;
    private final boolean followUp;
    private final List<PendingPanic> covered;
    private Instant since;
    private Instant last;
    private LogRecord latest;
    private String heldReason;

    private Notice(StormKey key, Routing.Route route, boolean followUp, Instant since, List<PendingPanic> covered) {
        this.key = key;
        this.route = route;
        this.followUp = followUp;
        this.since = since;
        this.covered = new ArrayList<>(covered);
        PendingPanic newest = covered.get(covered.size() - 1);
        this.last = newest.acceptedAt();
        this.latest = newest.record();
    }

    /** The first panic of a storm, or (after a restart) everything pending of one storm. */
    static Notice of(StormKey key, Routing.Route route, List<PendingPanic> panics) {
        return new Notice(key, route, false, panics.get(0).acceptedAt(), panics);
    }

    /** "N more times since {@code since}": the rest of a storm whose first panic was mailed. */
    static Notice followUp(StormKey key, Routing.Route route, Instant since, List<PendingPanic> panics) {
        return new Notice(key, route, true, since, panics);
    }

    StormKey key() { return key; }
    Routing.Route route() { return route; }
    boolean followUp() { return followUp; }
    int count() { return covered.size(); }
    Instant since() { return since; }
    Instant last() { return last; }
    LogRecord latest() { return latest; }
    List<PendingPanic> covered() { return covered; }
    /** Why the notice waited ("by the rate limit of ..."), or null if it did not. */
    String heldReason() { return heldReason; }

    void holdBecause(String reason) {
        if (heldReason == null) {
            heldReason = reason;
        }
    }

    Notice copy() {
        Notice n = new Notice(key, route, followUp, since, covered);
        n.heldReason = heldReason;
        return n;
    }

    /**
     * Absorbs another notice of the same storm: counts add up, the earlier start and the later
     * latest occurrence win. A lead and its follow-up merged are no follow-up any more.
     */
    Notice mergedWith(Notice other) {
        boolean stillFollowUp = followUp && other.followUp;
        Notice merged = new Notice(key, route, stillFollowUp, since.isBefore(other.since) ? since : other.since, covered);
        merged.covered.addAll(other.covered);
        merged.last = last.isAfter(other.last) ? last : other.last;
        merged.latest = last.isAfter(other.last) ? latest : other.latest;
        merged.heldReason = heldReason != null ? heldReason : other.heldReason;
        return merged;
    }
}
