package org.dqlog.collector.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.dqlog.core.LogRecord;
import org.junit.jupiter.api.Test;

/** The mailing policy alone, driven by instants. */
class MailSchedulerTest {

    private static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");
    private final MailScheduler scheduler = new MailScheduler(MailSettings.builder(Path.of("o"))
            .addRecipient("ops@example.org").stormWindow(Duration.ofMinutes(10)).maxMailsPerHour(0)
            .digestMaxEntries(2).build());
    private int seq;

    @Test
    void continuingStormMakesOneMailPerWindowAndEndsAfterAnEmptyWindow() {
        // given a panic every minute for 30 minutes
        List<PanicMail> mails = new ArrayList<>();
        for (int minute = 0; minute < 30; minute++) {
            scheduler.add(pending("same failure", T0.plus(Duration.ofMinutes(minute))));
            mails.addAll(mails(T0.plus(Duration.ofMinutes(minute))));
        }

        // when time runs on long after it stopped
        mails.addAll(mails(T0.plus(Duration.ofHours(2))));
        scheduler.add(pending("same failure", T0.plus(Duration.ofHours(3))));
        mails.addAll(mails(T0.plus(Duration.ofHours(3))));

        // then: first, three follow-ups (9, 10, 10), and a new first mail after the storm ended
        assertThat(mails).extracting(PanicMail::kind, PanicMail::panicCount).containsExactly(
                org.assertj.core.groups.Tuple.tuple(PanicMail.Kind.PANIC, 1),
                org.assertj.core.groups.Tuple.tuple(PanicMail.Kind.FOLLOW_UP, 9),
                org.assertj.core.groups.Tuple.tuple(PanicMail.Kind.FOLLOW_UP, 10),
                org.assertj.core.groups.Tuple.tuple(PanicMail.Kind.FOLLOW_UP, 10),
                org.assertj.core.groups.Tuple.tuple(PanicMail.Kind.PANIC, 1));
    }

    @Test
    void restoredPanicsOfOneStormBecomeOneMail() {
        // given
        List<PendingPanic> pending = List.of(pending("a", T0), pending("a", T0.plusSeconds(1)), pending("b", T0));

        // when
        scheduler.restore(pending, T0.plusSeconds(60));
        List<PanicMail> mails = mails(T0.plusSeconds(60));

        // then
        assertThat(mails).extracting(PanicMail::subject).containsExactlyInAnyOrder(
                "[dqlog panic] node7 reco: a (x2)", "[dqlog panic] node7 reco: b");
    }

    @Test
    void digestListsAtMostTheConfiguredNumberOfKinds() {
        // given three kinds held back together
        List<Notice> notices = List.of("a", "b", "c").stream()
                .map(m -> Notice.of(StormKey.of(pending(m, T0).record()),
                        new Routing.Route(-1, List.of("ops@example.org"), List.of()), List.of(pending(m, T0))))
                .collect(Collectors.toList());

        // when
        PanicMail digest = PanicMail.digest(notices, MailSettings.builder(Path.of("o"))
                .addRecipient("ops@example.org").digestMaxEntries(2).build());

        // then
        assertThat(digest.body()).contains("reco: a\n", "reco: b\n", "... and 1 more kinds (1 panics).").doesNotContain("reco: c");
        assertThat(digest.panicCount()).isEqualTo(3);
    }

    private List<PanicMail> mails(Instant now) {
        return scheduler.due(now).stream().map(MailScheduler.Outgoing::mail).collect(Collectors.toList());
    }

    private PendingPanic pending(String message, Instant at) {
        LogRecord r = Panics.java("node7", "reco", message);
        return new PendingPanic("k" + (seq++), r, at);
    }
}
