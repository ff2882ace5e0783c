package org.dqlog.collector.mail;

import java.util.List;

/**
 * One routing rule: panics whose host and application match the globs go to this rule's
 * recipients (or to the default recipients, if the rule names none), held during the rule's
 * quiet windows. Globs: {@code *} any run, {@code ?} one character, case ignored; a null or
 * empty glob matches everything. A panic without an application is matched by the name of its
 * command (see {@link PanicMail#displayApp}).
 *
 * <p>Immutable, so thread-safe.
 */
public final class RoutingRule {

    private final Glob host;
    private final Glob app;
    private final List<String> recipients;
    private final List<QuietWindow> quietWindows;

    /**
     * @param recipients   empty: the default recipients
     * @param quietWindows empty: never quiet
     */
    public RoutingRule(String hostGlob, String appGlob, List<String> recipients, List<QuietWindow> quietWindows) {
        this.host = new Glob(hostGlob);
        this.app = new Glob(appGlob);
        this.recipients = recipients == null ? List.of() : List.copyOf(recipients);
        this.quietWindows = quietWindows == null ? List.of() : List.copyOf(quietWindows);
    }

    public String hostGlob() { return host.toString(); }
    public String appGlob() { return app.toString(); }
    /** Empty means the default recipients. */
    public List<String> recipients() { return recipients; }
    public List<QuietWindow> quietWindows() { return quietWindows; }

    public boolean matches(String hostName, String appName) {
        return host.matches(hostName) && app.matches(appName);
    }

    @Override
    public String toString() {
        return "RoutingRule[host=" + host + ", app=" + app + ", to=" + recipients + ", quiet=" + quietWindows + "]";
    }
}
