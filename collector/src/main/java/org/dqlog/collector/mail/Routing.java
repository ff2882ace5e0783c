package org.dqlog.collector.mail;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * Chooses where a panic's mail goes. Rules are tried in order and the <b>first match wins</b>:
 * an operator reads the list top-down like a firewall table, and a specific rule placed first
 * can take a host away from a general one. A panic that no rule matches goes to the default
 * recipients and is never held. (To copy a team in addition to the defaults, list both in the
 * rule.)
 *
 * <p>Immutable, so thread-safe.
 */
public final class Routing {

    /** Where one panic goes: recipients and the quiet windows that hold its mails. */
    public static final class Route {
        private final int ruleIndex;
        private final List<String> recipients;
        private final List<QuietWindow> quietWindows;

        Route(int ruleIndex, List<String> recipients, List<QuietWindow> quietWindows) {
            this.ruleIndex = ruleIndex;
            this.recipients = recipients;
            this.quietWindows = quietWindows;
        }

        /** Index of the matching rule in the configuration, or -1 for the default route. */
        public int ruleIndex() { return ruleIndex; }
        public List<String> recipients() { return recipients; }
        public List<QuietWindow> quietWindows() { return quietWindows; }

        /** If a quiet window of this route holds mails at {@code now}, when it ends. */
        public Optional<Instant> quietUntil(Instant now, ZoneId zone) {
            Optional<Instant> until = Optional.empty();
            for (QuietWindow w : quietWindows) {
                Optional<Instant> end = w.endIfInside(now, zone);
                if (end.isPresent() && (until.isEmpty() || end.get().isAfter(until.get()))) {
                    until = end;
                }
            }
            return until;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Route && ((Route) o).ruleIndex == ruleIndex;
        }

        @Override
        public int hashCode() {
            return ruleIndex;
        }

        @Override
        public String toString() {
            return "Route[" + ruleIndex + " to " + recipients + "]";
        }
    }

    private final List<RoutingRule> rules;
    private final Route defaultRoute;
    private final ZoneId zone;

    public Routing(List<RoutingRule> rules, List<String> defaultRecipients, ZoneId zone) {
        this.rules = List.copyOf(rules);
        this.defaultRoute = new Route(-1, List.copyOf(defaultRecipients), List.of());
        this.zone = zone;
    }

    public static Routing of(MailSettings settings) {
        return new Routing(settings.routingRules(), settings.recipients(), settings.zone());
    }

    /** Host and app as {@link PanicMail#displayHost}/{@link PanicMail#displayApp} name them. */
    public Route routeFor(String host, String app) {
        for (int i = 0; i < rules.size(); i++) {
            RoutingRule rule = rules.get(i);
            if (rule.matches(host, app)) {
                List<String> to = rule.recipients().isEmpty() ? defaultRoute.recipients() : rule.recipients();
                return new Route(i, to, rule.quietWindows());
            }
        }
        return defaultRoute;
    }

    public ZoneId zone() {
        return zone;
    }
}
