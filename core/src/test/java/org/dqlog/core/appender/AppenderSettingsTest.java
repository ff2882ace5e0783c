package org.dqlog.core.appender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.dqlog.core.Level;
import org.dqlog.core.config.ClientSettings;
import org.dqlog.core.publish.SenderConfig;
import org.junit.jupiter.api.Test;

class AppenderSettingsTest {

    private static final ClientSettings NOTHING = ClientSettings.of(Map.of(), Map.of());

    @Test
    void withoutBrokersAnywhereTheProblemNamesEveryPlaceToSetThem() {
        // when
        AppenderSettings settings = new AppenderSettings(NOTHING).app("dq");

        // then
        assertThat(settings.problems()).singleElement().asString()
                .startsWith("no brokers").contains("brokers").contains("dqlog.brokers").contains("DQLOG_BROKERS");
    }

    @Test
    void brokersFromTheEnvironmentAreEnoughAndDefaultsApply() {
        // given
        AppenderSettings settings = new AppenderSettings(ClientSettings.of(Map.of(), Map.of("DQLOG_BROKERS", "tcp://mq:61613")));

        // when
        SenderConfig config = settings.senderConfig();

        // then
        assertThat(settings.problems()).isEmpty();
        assertThat(config.brokers()).hasSize(1);
        assertThat(settings.panicLevel()).isEqualTo(Level.ERROR);
        assertThat(config.shutdownTimeout()).isEqualTo(SenderConfig.DEFAULT_SHUTDOWN_TIMEOUT);
        assertThat(config.queueCapacity()).isEqualTo(SenderConfig.DEFAULT_QUEUE_CAPACITY);
        assertThat(config.batching()).isTrue();
    }

    @Test
    void theRedactAttributeAddsItsPatternsToThoseOfDqlogRedactAndABadOneIsNamed() {
        // given a pattern in dqlog.redact and another in the attribute
        AppenderSettings both = new AppenderSettings(ClientSettings.of(Map.of("dqlog.redact", "alpha\\d+"), Map.of()))
                .brokers("tcp://mq:61613").redact("beta\\d+ gamma=(\\S+)");

        // then all of them apply, with the default forms
        assertThat(both.problems()).isEmpty();
        assertThat(both.redaction().arguments(List.of("alpha1", "beta2", "gamma=3", "--password", "x", "delta4")))
                .containsExactly("***", "***", "gamma=***", "--password", "***", "delta4");
        assertThat(new AppenderSettings(NOTHING).brokers("tcp://mq:61613").redact("(unclosed").problems())
                .singleElement().asString().startsWith("redact: ").contains("(unclosed");
    }

    @Test
    void attributesAreReadWithUnitsAndEveryBadOneIsNamed() {
        // given
        AppenderSettings good = new AppenderSettings(NOTHING).brokers("tcp://mq:61613").panicLevel("fatal")
                .queueCapacity("500").spoolMaxBytes("64MB").shutdownTimeout("2s").batching("false").header("service=web");
        AppenderSettings bad = new AppenderSettings(NOTHING).brokers("tcp://mq:61613").panicLevel("LOUD")
                .queueCapacity("many").spoolMaxBytes("1 bucket").shutdownTimeout("soon").batching("sometimes").header("novalue");

        // then
        SenderConfig config = good.senderConfig();
        assertThat(good.panicLevel()).isEqualTo(Level.FATAL);
        assertThat(config.queueCapacity()).isEqualTo(500);
        assertThat(config.spoolMaxBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.extraHeaders()).containsExactly(Map.entry("service", "web"));
        assertThat(config.batching()).isFalse();
        assertThat(bad.problems()).hasSize(6)
                .anySatisfy(p -> assertThat(p).startsWith("batching: "))
                .anySatisfy(p -> assertThat(p).startsWith("panicLevel: "))
                .anySatisfy(p -> assertThat(p).startsWith("queueCapacity: "))
                .anySatisfy(p -> assertThat(p).startsWith("spoolMaxBytes: "))
                .anySatisfy(p -> assertThat(p).startsWith("shutdownTimeout: "))
                .anySatisfy(p -> assertThat(p).startsWith("header 'novalue'"));
    }

    @Test
    void durationsAndSizesTakeTheirUsualForms() {
        assertThat(AppenderSettings.parseDuration("1500")).isEqualTo(Duration.ofMillis(1500));
        assertThat(AppenderSettings.parseDuration("PT10S")).isEqualTo(Duration.ofSeconds(10));
        assertThat(AppenderSettings.parseDuration("2 m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(AppenderSettings.parseBytes("512 KiB")).isEqualTo(512L * 1024);
        assertThat(AppenderSettings.parseBytes("1g")).isEqualTo(1L << 30);
        assertThatThrownBy(() -> AppenderSettings.parseBytes("-1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void neitherTextNorFingerprintShowsThePasscode() {
        // given
        AppenderSettings a = new AppenderSettings(NOTHING).brokers("tcp://mq:61613").passcode("hunter2");
        AppenderSettings b = new AppenderSettings(NOTHING).brokers("tcp://mq:61613").passcode("other");

        // then
        assertThat(a.toString()).doesNotContain("hunter2").contains("***");
        assertThat(a.fingerprint()).isNotEqualTo(b.fingerprint()).doesNotContain("hunter2");
        assertThat(a.fingerprint()).isEqualTo(new AppenderSettings(NOTHING).brokers("tcp://mq:61613").passcode("hunter2").fingerprint());
    }
}
