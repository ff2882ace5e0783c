package org.dqlog.collector.config;

import java.util.List;
import org.dqlog.core.Redaction;

/**
 * The {@code security:} section.
 *
 * @param redactPanics whether panics are passed through {@link #redaction} before they are mailed
 *                     and archived (the Python tooling sends its arguments unredacted)
 * @param redaction    the default forms plus the operator's {@code redact} patterns (else those of
 *                     {@code dqlog.redact} / {@code DQLOG_REDACT})
 * @param privateFiles whether the data directory and everything in it is owner-only (0700/0600);
 *                     false leaves the data directory's mode to the operator (what is created
 *                     inside follows it)
 * @param trustBrokerUser whether the brokers set {@code JMSXUserID} themselves ({@code populateJMSXUserID}),
 *                     so that the sender's user is stored as verified
 * @param warnings     what the configuration exposes (a passcode file others can read, a passcode
 *                     over plain TCP, an SMTP login without TLS), logged once at start
 */
public record SecurityConfig(boolean redactPanics, Redaction redaction, boolean privateFiles, boolean trustBrokerUser,
                             List<String> warnings) {

    public SecurityConfig {
        warnings = List.copyOf(warnings);
    }

    public static final boolean DEFAULT_REDACT_PANICS = true;
    public static final boolean DEFAULT_PRIVATE_FILES = true;
    public static final boolean DEFAULT_TRUST_BROKER_USER = false;
}
