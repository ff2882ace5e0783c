package org.dqlog.core.subscribe;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import org.dqlog.core.config.BrokerAddress;

/** A handler that keeps every delivery in arrival order; it can be told to fail once, as a buggy consumer would. */
final class Inbox implements DeliveryHandler {

    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private final AtomicBoolean failNext = new AtomicBoolean();

    @Override
    public void onDelivery(Delivery delivery) {
        deliveries.add(delivery);
        if (failNext.compareAndSet(true, false)) {
            throw new IllegalStateException("handler failure for the test");
        }
    }

    /** The next delivery is kept, then the handler throws. */
    void failNextDelivery() {
        failNext.set(true);
    }

    List<Delivery> all() {
        return new ArrayList<>(deliveries);
    }

    int size() {
        return deliveries.size();
    }

    List<String> ids() {
        return ids(deliveries);
    }

    List<String> idsFrom(BrokerAddress broker) {
        return ids(deliveries.stream().filter(d -> sameEndpoint(d.broker(), broker)).collect(Collectors.toList()));
    }

    static List<String> ids(List<Delivery> list) {
        return list.stream().map(d -> new String(d.body(), StandardCharsets.UTF_8)).collect(Collectors.toList());
    }

    static boolean sameEndpoint(BrokerAddress a, BrokerAddress b) {
        String hostA = a.resolved() != null ? a.resolved().getHostAddress() : a.host();
        String hostB = b.resolved() != null ? b.resolved().getHostAddress() : b.host();
        return hostA.equals(hostB) && a.port() == b.port();
    }
}
