package org.dqlog.core.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Range checks shared by the configuration classes ({@code SessionConfig}, {@code SenderConfig},
 * {@code Publisher}), so that a bad value fails with the same message, naming the setting,
 * wherever it is given.
 *
 * <p>Stateless, so thread-safe.
 */
public final class SettingChecks {

    private SettingChecks() { }

    /**
     * @return {@code value}
     * @throws NullPointerException naming the setting when {@code value} is null
     * @throws IllegalArgumentException naming the setting when {@code value} is zero or negative
     */
    public static Duration positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
        return value;
    }
}
