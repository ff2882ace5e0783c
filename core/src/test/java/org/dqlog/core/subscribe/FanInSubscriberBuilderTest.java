package org.dqlog.core.subscribe;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.dqlog.core.config.BrokerAddress;
import org.dqlog.core.stomp.AckMode;
import org.junit.jupiter.api.Test;

class FanInSubscriberBuilderTest {

    private static final List<BrokerAddress> BROKERS = List.of(BrokerAddress.parse("tcp://127.0.0.1:1"));

    @Test
    void refusesToStartWithoutHandlerOrDestination() {
        assertThatThrownBy(() -> FanInSubscriber.builder(BROKERS).destinations("/queue/q").start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("handler");
        assertThatThrownBy(() -> FanInSubscriber.builder(BROKERS).handler(d -> { }).start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("destination");
    }

    @Test
    void refusesIndividualAcknowledgementAndAPrefetchBelowOne() {
        assertThatThrownBy(() -> FanInSubscriber.builder(BROKERS).destinations("/queue/q").handler(d -> { })
                .ackMode(AckMode.CLIENT_INDIVIDUAL).start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("client-individual");
        assertThatThrownBy(() -> FanInSubscriber.builder(BROKERS).destinations("/queue/q").handler(d -> { })
                .prefetch(0).start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prefetch");
    }
}
