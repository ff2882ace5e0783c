package org.dqlog.collector.mail;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides which mails go out when; the policy of the notifier, free of threads and I/O so it can
 * be driven by any clock. Three stages, in this order:
 *
 * <ol>
 * <li><b>Storms.</b> The first panic of a kind (same host, app and message) becomes a mail at
 * once and opens a window of {@link MailSettings#stormWindow()}. Identical panics accepted inside
 * the window are only counted. When the window ends with a count N &gt; 0, one follow-up mail
 * "N more times since ..." goes out and a new window opens right away; a window that ends with
 * no new panic closes the storm. So 1,000 identical panics in one window make 2 mails, and a
 * storm that never stops makes one mail per window.</li>
 * <li><b>Quiet windows.</b> A mail whose route is in a quiet window is held until the window
 * ends; held notices of the same storm merge into one.</li>
 * <li><b>Rate limit.</b> Each mail takes a slot of {@link MailSettings#maxMailsPerHour()} in a
 * sliding hour. Without a free slot a notice is held back; while anything is held back for a set
 * of recipients, new notices for them join it (so old ones are not overtaken). When a slot frees,
 * everything held for those recipients goes as <b>one digest</b> (or as an ordinary mail, if it is
 * just one notice). Mails released from a quiet window follow the same rule.</li>
 * </ol>
 *
 * <p>State lives in memory: after a restart, {@link #restore} turns each storm's pending panics
 * into one mail, so a restart costs at most one extra mail per storm.
 *
 * <p>Not thread-safe: only the notifier's sender thread uses it.
 */
final class MailScheduler {

    /** One kind of panic inside its window; followers are counted, not mailed. */
    private static final class Storm {
        Instant windowEnd;
        Instant since;
        final List<PendingPanic> followers = new ArrayList<>();

        Storm(Instant windowEnd, Instant since) {
            this.windowEnd = windowEnd;
            this.since = since;
        }
    }

    /** A mail to send with the outbox entries it stands for. */
    record Outgoing(PanicMail mail, List<PendingPanic> covered) {
    }

    private final MailSettings settings;
    private final Routing routing;
    private final Duration window;
    private final RateLimiter rate;
    private final Map<StormKey, Storm> storms = new HashMap<>();
    private final List<Notice> fresh = new ArrayList<>();
    private final Map<Routing.Route, List<Notice>> quiet = new LinkedHashMap<>();
    /** Recipients → notices held back by the rate limit, oldest first. */
    private final Map<List<String>, List<Notice>> rateHeld = new LinkedHashMap<>();

    MailScheduler(MailSettings settings) {
        this.settings = settings;
        this.routing = Routing.of(settings);
        this.window = settings.stormWindow();
        this.rate = new RateLimiter(settings.maxMailsPerHour());
    }

    /** Takes a newly accepted panic. */
    void add(PendingPanic p) {
        StormKey key = StormKey.of(p.record());
        Storm storm = storms.get(key);
        if (storm != null && roll(key, storm, p.acceptedAt())) {
            storm.followers.add(p);
            return;
        }
        storms.put(key, new Storm(p.acceptedAt().plus(window), p.acceptedAt()));
        fresh.add(Notice.of(key, route(key), List.of(p)));
    }

    /**
     * Takes what was pending in the outbox at start: one notice per storm with all its panics,
     * and a fresh window for each, so identical panics right after the restart are coalesced.
     */
    void restore(List<PendingPanic> pending, Instant now) {
        Map<StormKey, List<PendingPanic>> byKey = new LinkedHashMap<>();
        pending.stream().sorted(Comparator.comparing(PendingPanic::acceptedAt))
                .forEach(p -> byKey.computeIfAbsent(StormKey.of(p.record()), k -> new ArrayList<>()).add(p));
        byKey.forEach((key, panics) -> {
            storms.put(key, new Storm(now.plus(window), now));
            fresh.add(Notice.of(key, route(key), panics));
        });
    }

    /** The mails to send now. Each has taken its rate slot; a failed send is retried, not re-asked. */
    List<Outgoing> due(Instant now) {
        for (Iterator<Map.Entry<StormKey, Storm>> it = storms.entrySet().iterator(); it.hasNext();) {
            Map.Entry<StormKey, Storm> e = it.next();
            if (!roll(e.getKey(), e.getValue(), now)) {
                it.remove();
            }
        }
        List<Notice> sendable = new ArrayList<>();
        for (Notice n : fresh) {
            Optional<Instant> until = n.route().quietUntil(now, routing.zone());
            if (until.isPresent()) {
                n.holdBecause("during a quiet window (" + joined(n.route()) + ")");
                mergeInto(quiet.computeIfAbsent(n.route(), r -> new ArrayList<>()), n);
            } else {
                sendable.add(n);
            }
        }
        fresh.clear();
        for (Iterator<Map.Entry<Routing.Route, List<Notice>>> it = quiet.entrySet().iterator(); it.hasNext();) {
            Map.Entry<Routing.Route, List<Notice>> e = it.next();
            if (e.getKey().quietUntil(now, routing.zone()).isEmpty()) {
                // Released together, so they leave as one digest rather than a burst at dawn.
                rateHeld.computeIfAbsent(e.getKey().recipients(), r -> new ArrayList<>()).addAll(e.getValue());
                it.remove();
            }
        }
        List<Outgoing> out = new ArrayList<>();
        for (Notice n : sendable) {
            List<Notice> held = rateHeld.get(n.route().recipients());
            if (held == null && rate.tryAcquire(now)) {
                out.add(new Outgoing(PanicMail.of(n, settings), n.covered()));
            } else {
                n.holdBecause(held != null && held.get(0).heldReason() != null ? held.get(0).heldReason()
                        : "by the rate limit of " + settings.maxMailsPerHour() + " mails per hour");
                rateHeld.computeIfAbsent(n.route().recipients(), r -> new ArrayList<>()).add(n);
            }
        }
        for (Iterator<List<Notice>> it = rateHeld.values().iterator(); it.hasNext();) {
            List<Notice> held = it.next();
            if (rate.tryAcquire(now)) {
                out.add(release(held));
                it.remove();
            }
        }
        return out;
    }

    /** Notices waiting for a quiet window to end or for the rate limit. */
    int heldCount() {
        return quiet.values().stream().mapToInt(List::size).sum() + rateHeld.values().stream().mapToInt(List::size).sum();
    }

    private Outgoing release(List<Notice> held) {
        List<Notice> merged = new ArrayList<>();
        for (Notice n : held) {
            mergeInto(merged, n);
        }
        List<PendingPanic> covered = new ArrayList<>();
        merged.forEach(n -> covered.addAll(n.covered()));
        PanicMail mail = merged.size() == 1 ? PanicMail.of(merged.get(0), settings) : PanicMail.digest(merged, settings);
        return new Outgoing(mail, covered);
    }

    /**
     * Moves a storm's window forward to {@code t}, emitting a follow-up for each window that
     * ended with followers. Returns false when the storm is over (a window ended empty); the
     * caller forgets it then.
     */
    private boolean roll(StormKey key, Storm storm, Instant t) {
        while (!t.isBefore(storm.windowEnd)) {
            if (storm.followers.isEmpty()) {
                return false;
            }
            fresh.add(Notice.followUp(key, route(key), storm.since, List.copyOf(storm.followers)));
            storm.followers.clear();
            storm.since = storm.windowEnd;
            storm.windowEnd = storm.windowEnd.plus(window);
        }
        return true;
    }

    private Routing.Route route(StormKey key) {
        return routing.routeFor(key.host(), key.app());
    }

    private static void mergeInto(List<Notice> list, Notice n) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).key().equals(n.key())) {
                list.set(i, list.get(i).mergedWith(n));
                return;
            }
        }
        list.add(n);
    }

    private static String joined(Routing.Route route) {
        StringBuilder b = new StringBuilder();
        route.quietWindows().forEach(w -> b.append(b.length() == 0 ? "" : ", ").append(w));
        return b.toString();
    }
}
