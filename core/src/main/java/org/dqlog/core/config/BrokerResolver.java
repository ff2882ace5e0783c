package org.dqlog.core.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Expands configured broker URIs into concrete brokers: a host name with several A/AAAA records
 * stands for several brokers (the brokers are not networked, so a consumer must reach each one).
 * Call {@link #resolve()} again on reconnect and periodically, so that a broker added behind a
 * name is found.
 *
 * <p>Thread-safe: immutable; each {@link #resolve()} asks the name service afresh (subject to the
 * JVM's DNS cache, {@code networkaddress.cache.ttl}).
 */
public final class BrokerResolver {

    /** Looks up every address of a host name; {@link InetAddress#getAllByName} in production. */
    public interface NameService {
        InetAddress[] lookup(String host) throws UnknownHostException;
    }

    private final List<BrokerAddress> configured;
    private final NameService nameService;

    public BrokerResolver(List<BrokerAddress> configured) {
        this(configured, InetAddress::getAllByName);
    }

    public BrokerResolver(List<BrokerAddress> configured, NameService nameService) {
        this.configured = Collections.unmodifiableList(new ArrayList<>(configured));
        this.nameService = Objects.requireNonNull(nameService, "nameService");
    }

    public List<BrokerAddress> configured() {
        return configured;
    }

    /**
     * One address per (configured broker, IP address), in configuration order, without
     * duplicates. A name that does not resolve now stays in the list unpinned, so connecting to it
     * fails with the name service's error and the next resolve tries again.
     */
    public List<BrokerAddress> resolve() {
        Set<BrokerAddress> result = new LinkedHashSet<>();
        for (BrokerAddress broker : configured) {
            if (broker.resolved() != null) {
                result.add(broker);
                continue;
            }
            InetAddress[] addresses;
            try {
                addresses = nameService.lookup(broker.host());
            } catch (UnknownHostException e) {
                addresses = new InetAddress[0];
            }
            if (addresses == null || addresses.length == 0) {
                result.add(broker);
            }
            if (addresses != null) {
                for (InetAddress address : addresses) {
                    result.add(broker.withResolved(address));
                }
            }
        }
        return Collections.unmodifiableList(new ArrayList<>(result));
    }
}
