package org.dqlog.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.dqlog.testkit.BrokerProcess;
import org.dqlog.testkit.DelayProxy;
import org.dqlog.testkit.ProcessReaper;
import org.dqlog.testkit.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The testkit's delaying proxy in front of a real broker: forwards, holds back while paused, cleans up. */
@ExtendWith(ProcessReaper.class)
class DelayProxyTest {

    private static final Duration WAIT = Waits.CONDITION;

    @TempDir
    Path temp;

    @Test
    void forwardsWithADelayHoldsEverythingWhilePausedAndLeavesNoThreadBehind() throws Exception {
        BrokerProcess broker = BrokerProcess.start(temp.resolve("broker"));
        long threadsBefore = proxyThreads();
        try (DelayProxy proxy = DelayProxy.to(broker.port()).delayToClient(Duration.ofMillis(300))) {
            // a delayed broker still answers
            try (RawStomp stomp = RawStomp.connect(proxy.port())) {
                stomp.sendPersistentWithReceipt("/queue/dqlog.test.proxy", "one");

                // while paused, no receipt comes; after resume it does
                proxy.pause();
                CompletableFuture<Void> receipt = CompletableFuture.runAsync(() -> {
                    try {
                        stomp.sendPersistentWithReceipt("/queue/dqlog.test.proxy", "two");
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                });
                assertThat(receipt).as("receipt while paused").isNotDone();
                proxy.resume();
                receipt.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
            await().atMost(WAIT).until(() -> proxy.openConnections() == 0);
        }
        assertThat(proxyThreads()).as("proxy threads after close").isEqualTo(threadsBefore);
    }

    private static long proxyThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("delay-proxy")).count();
    }
}
