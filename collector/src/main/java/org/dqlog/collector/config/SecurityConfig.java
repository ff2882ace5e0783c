package org.dqlog.collector.config;

import org.dqlog.core.Redaction;

/**
 * The {@code security:} section.
 *
 * @param redactPanics whether panics are passed through {@link #redaction} before they are mailed
 *                     and archived (the Python tooling sends its arguments unredacted)
 * @param redaction    the default forms plus the operator's {@code redact} patterns (else those of
 *                     {@code dqlog.redact} / {@code DQLOG_REDACT})
 * @param privateFiles whether the data directory and everything in it is owner-only (0700/0600);
 *                     false leaves modes to the umask, for an operator group that reads the files
 */
public record SecurityConfig(boolean redactPanics, Redaction redaction, boolean privateFiles) {

    public static final boolean DEFAULT_REDACT_PANICS = true;
    public static final boolean DEFAULT_PRIVATE_FILES = true;

    public static SecurityConfig defaults() {
        return new SecurityConfig(DEFAULT_REDACT_PANICS, Redaction.DEFAULT, DEFAULT_PRIVATE_FILES);
    }
}
