package org.dqlog.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

class BrokerAddressTest {

    @Test
    void parsesTcpAndSslWithExplicitPorts() {
        // when
        BrokerAddress tcp = BrokerAddress.parse("tcp://mq1.example.org:61613");
        BrokerAddress ssl = BrokerAddress.parse(" ssl://mq2:7000 ");

        // then
        assertThat(tcp.scheme()).isEqualTo(BrokerAddress.Scheme.TCP);
        assertThat(tcp.host()).isEqualTo("mq1.example.org");
        assertThat(tcp.port()).isEqualTo(61613);
        assertThat(tcp.isTls()).isFalse();
        assertThat(ssl.isTls()).isTrue();
        assertThat(ssl.port()).isEqualTo(7000);
        assertThat(ssl.uri()).isEqualTo("ssl://mq2:7000");
    }

    @Test
    void defaultPortsAre61613ForTcpAnd61614ForSsl() {
        assertThat(BrokerAddress.parse("tcp://mq").port()).isEqualTo(61613);
        assertThat(BrokerAddress.parse("ssl://mq/").port()).isEqualTo(61614);
    }

    @Test
    void bareHostMeansTcp() {
        assertThat(BrokerAddress.parse("mq:1234").uri()).isEqualTo("tcp://mq:1234");
        assertThat(BrokerAddress.parse("mq").uri()).isEqualTo("tcp://mq:61613");
    }

    @Test
    void parsesBracketedIpv6Literal() {
        BrokerAddress v6 = BrokerAddress.parse("tcp://[::1]:61613");
        assertThat(v6.host()).isEqualTo("::1");
        assertThat(v6.uri()).isEqualTo("tcp://[::1]:61613");
    }

    @Test
    void rejectsUnknownSchemeNamingTheUri() {
        assertThatThrownBy(() -> BrokerAddress.parse("stomp+nio://mq:61613"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'stomp+nio://mq:61613'")
                .hasMessageContaining("tcp or ssl");
    }

    @Test
    void rejectsPathsQueriesAndEmptyInput() {
        assertThatThrownBy(() -> BrokerAddress.parse("tcp://mq:61613/queue")).hasMessageContaining("tcp://mq:61613/queue");
        assertThatThrownBy(() -> BrokerAddress.parse("tcp://mq:61613?x=1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BrokerAddress.parse("tcp://mq:99999")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BrokerAddress.parse("  ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void credentialsInTheUriAreRefusedWithoutEchoingThem() {
        assertThatThrownBy(() -> BrokerAddress.parse("tcp://admin:s3cret@mq:61613"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("s3cret")
                .hasMessageContaining("login and passcode");
    }

    @Test
    void parsesCommaSeparatedListSkippingBlanks() {
        assertThat(BrokerAddress.parseList("tcp://a:1, ,ssl://b:2,"))
                .containsExactly(BrokerAddress.parse("tcp://a:1"), BrokerAddress.parse("ssl://b:2"));
        assertThat(BrokerAddress.parseList(null)).isEmpty();
    }

    @Test
    void pinnedAddressKeepsTheHostNameForTlsAndShowsBoth() throws Exception {
        // when
        BrokerAddress pinned = BrokerAddress.parse("ssl://mq.example.org").withResolved(InetAddress.getByName("10.0.0.7"));

        // then
        assertThat(pinned.host()).isEqualTo("mq.example.org");
        assertThat(pinned.socketAddress().getAddress().getHostAddress()).isEqualTo("10.0.0.7");
        assertThat(pinned).hasToString("ssl://mq.example.org:61614 (10.0.0.7)").isNotEqualTo(BrokerAddress.parse("ssl://mq.example.org"));
    }
}
