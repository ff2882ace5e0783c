package org.dqlog.collector.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoutingTest {

    private final Routing routing = new Routing(List.of(
            new RoutingRule("db-??", "*", List.of("dba@example.org"), List.of()),
            new RoutingRule(null, "*web*", List.of(), List.of(QuietWindow.parse("22:00-07:00"))),
            new RoutingRule("db-*", "*", List.of("never@example.org"), List.of())),
            List.of("ops@example.org"), ZoneOffset.UTC);

    @Test
    void firstMatchingRuleWins() {
        assertThat(routing.routeFor("DB-12", "webdisplay").recipients()).containsExactly("dba@example.org");
        assertThat(routing.routeFor("db-123", "cron").recipients()).containsExactly("never@example.org");
    }

    @Test
    void ruleWithoutRecipientsUsesDefaultsAndKeepsItsQuietWindows() {
        Routing.Route route = routing.routeFor("node7", "dq-webdisplay");

        assertThat(route.recipients()).containsExactly("ops@example.org");
        assertThat(route.quietWindows()).containsExactly(QuietWindow.parse("22:00-07:00"));
    }

    @Test
    void unmatchedPanicGoesToDefaultRecipientsWithoutQuietWindow() {
        Routing.Route route = routing.routeFor("node7", "cron");

        assertThat(route.ruleIndex()).isEqualTo(-1);
        assertThat(route.recipients()).containsExactly("ops@example.org");
        assertThat(route.quietWindows()).isEmpty();
    }
}
