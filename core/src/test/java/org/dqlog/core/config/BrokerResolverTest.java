package org.dqlog.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;

class BrokerResolverTest {

    /** A name service whose records the test changes, standing in for DNS. */
    private final Map<String, InetAddress[]> records = new ConcurrentHashMap<>();
    private final BrokerResolver.NameService dns = host -> {
        InetAddress[] found = records.get(host);
        if (found == null) {
            throw new UnknownHostException(host);
        }
        return found;
    };

    @Test
    void nameWithSeveralAddressesCountsAsSeveralBrokers() throws Exception {
        // given
        records.put("mq", new InetAddress[] {ip("10.0.0.1"), ip("10.0.0.2")});
        BrokerResolver resolver = new BrokerResolver(BrokerAddress.parseList("tcp://mq:61613,ssl://other:61614"), dns);
        records.put("other", new InetAddress[] {ip("10.0.0.9")});

        // when
        List<BrokerAddress> brokers = resolver.resolve();

        // then
        assertThat(brokers).extracting(BrokerAddress::toString).containsExactly(
                "tcp://mq:61613 (10.0.0.1)", "tcp://mq:61613 (10.0.0.2)", "ssl://other:61614 (10.0.0.9)");
        assertThat(brokers).allSatisfy(b -> assertThat(b.resolved()).isNotNull());
    }

    @Test
    void resolvingAgainFindsABrokerAddedBehindTheName() throws Exception {
        // given
        records.put("mq", new InetAddress[] {ip("10.0.0.1")});
        BrokerResolver resolver = new BrokerResolver(List.of(BrokerAddress.parse("tcp://mq")), dns);
        assertThat(resolver.resolve()).hasSize(1);

        // when
        records.put("mq", new InetAddress[] {ip("10.0.0.1"), ip("10.0.0.3")});

        // then
        assertThat(resolver.resolve()).extracting(b -> b.resolved().getHostAddress()).containsExactly("10.0.0.1", "10.0.0.3");
    }

    @Test
    void unresolvableNameStaysInTheListUnpinnedSoItsErrorShowsAtConnect() {
        // given
        BrokerResolver resolver = new BrokerResolver(List.of(BrokerAddress.parse("tcp://gone:61613")), dns);

        // when
        List<BrokerAddress> brokers = resolver.resolve();

        // then
        assertThat(brokers).containsExactly(BrokerAddress.parse("tcp://gone:61613"));
        assertThat(brokers.get(0).resolved()).isNull();
    }

    @Test
    void duplicateAddressesAreListedOnce() throws Exception {
        // given: two names for the same machine
        records.put("a", new InetAddress[] {ip("10.0.0.1")});
        BrokerResolver resolver = new BrokerResolver(BrokerAddress.parseList("tcp://a:1,tcp://a:1"), dns);

        // then
        assertThat(resolver.resolve()).hasSize(1);
    }

    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }
}
