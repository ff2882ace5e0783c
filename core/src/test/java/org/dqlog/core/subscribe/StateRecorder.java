package org.dqlog.core.subscribe;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.dqlog.core.config.BrokerAddress;

/** Keeps every broker state change in order. */
final class StateRecorder implements BrokerStateListener {

    private final List<BrokerStatus> changes = new CopyOnWriteArrayList<>();

    @Override
    public void onStateChanged(BrokerStatus status) {
        changes.add(status);
    }

    List<BrokerStatus> of(BrokerAddress broker) {
        return changes.stream().filter(s -> Inbox.sameEndpoint(s.broker(), broker)).collect(Collectors.toList());
    }

    /** The states {@code broker} went through, in order. */
    List<ConnectionState> statesOf(BrokerAddress broker) {
        return of(broker).stream().map(BrokerStatus::state).collect(Collectors.toList());
    }

    ConnectionState last(BrokerAddress broker) {
        List<BrokerStatus> mine = of(broker);
        return mine.isEmpty() ? null : mine.get(mine.size() - 1).state();
    }
}
