package org.dqlog.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a client's settings expose, said once at start by each part in its own channel (the
 * appenders' status, {@code dqlog panic}/{@code run} on stderr, the collector's log): a passcode
 * file that others may read, a passcode that would cross the network in clear over {@code tcp://}.
 *
 * <p>Stateless, so thread-safe.
 */
public final class SecurityWarnings {

    private SecurityWarnings() { }

    /** The warnings for {@code settings}; empty when there is nothing to say. */
    public static List<String> of(ClientSettings settings) {
        List<String> warnings = new ArrayList<>();
        settings.passcodeFileWarning().ifPresent(warnings::add);
        List<BrokerAddress> brokers;
        try {
            brokers = settings.brokers();
        } catch (IllegalArgumentException e) {
            brokers = List.of(); // a bad broker list is reported where it is used
        }
        plainPasscode(brokers, settings.hasPasscode()).ifPresent(warnings::add);
        return warnings;
    }

    /** A warning naming the {@code tcp://} brokers a passcode would be sent to in clear. */
    public static Optional<String> plainPasscode(List<BrokerAddress> brokers, boolean hasPasscode) {
        if (!hasPasscode) {
            return Optional.empty();
        }
        String plain = brokers.stream().filter(b -> b.scheme() == BrokerAddress.Scheme.TCP)
                .map(BrokerAddress::toString).collect(Collectors.joining(", "));
        return plain.isEmpty() ? Optional.empty() : Optional.of("the broker passcode goes in clear over plain TCP to "
                + plain + "; use ssl:// (TLS) brokers");
    }
}
