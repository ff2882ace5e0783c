package org.dqlog.core.config;

import java.util.Objects;

/**
 * Broker login and passcode; either may be null (ActiveMQ without authentication).
 * The passcode never appears in {@link #toString()}.
 *
 * <p>Immutable and thread-safe.
 */
public final class Credentials {

    public static final Credentials NONE = new Credentials(null, null);

    private final String login;
    private final String passcode;

    private Credentials(String login, String passcode) {
        this.login = login;
        this.passcode = passcode;
    }

    public static Credentials of(String login, String passcode) {
        if (login == null && passcode == null) {
            return NONE;
        }
        return new Credentials(login, passcode);
    }

    /** The login, or null. */
    public String login() {
        return login;
    }

    /** The passcode, or null. Never log it. */
    public String passcode() {
        return passcode;
    }

    @Override
    public String toString() {
        return "Credentials[login=" + login + ", passcode=" + (passcode == null ? "none" : "***") + "]";
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Credentials)) {
            return false;
        }
        Credentials other = (Credentials) o;
        return Objects.equals(login, other.login) && Objects.equals(passcode, other.passcode);
    }

    @Override
    public int hashCode() {
        return Objects.hash(login, passcode);
    }
}
