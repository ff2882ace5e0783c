package org.dqlog.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class RecordIdsTest {

    @Test
    void numbersTheIdsOfOneInstanceFromOne() {
        // given
        RecordIds ids = new RecordIds("abc");

        // when / then
        assertThat(ids.next()).isEqualTo("abc-1");
        assertThat(ids.next()).isEqualTo("abc-2");
        assertThat(ids.instanceId()).isEqualTo("abc");
    }

    @Test
    void givesEachInstanceAShortUrlSafeRandomId() {
        // when
        Set<String> instances = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            instances.add(new RecordIds().instanceId());
        }

        // then
        assertThat(instances).hasSize(1000)
                .allSatisfy(id -> assertThat(id).matches("[0-9a-hjkmnp-tv-z]{12}"));
    }

    @Test
    void neverHandsOutTheSameIdTwiceAcrossThreads() throws Exception {
        // given
        RecordIds ids = new RecordIds();
        Set<String> seen = ConcurrentHashMap.newKeySet();
        int threads = 4;
        int perThread = 5000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    seen.add(ids.next());
                }
            });
            w.start();
            workers.add(w);
        }

        // when
        start.countDown();
        for (Thread w : workers) {
            w.join(30_000);
        }

        // then
        assertThat(seen).hasSize(threads * perThread).contains(ids.instanceId() + "-" + threads * perThread);
    }

    @Test
    void refusesAnInstanceIdThatCouldCollideWithTheCollectorsIds() {
        assertThatThrownBy(() -> new RecordIds("msgid:x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RecordIds("")).isInstanceOf(IllegalArgumentException.class);
    }
}
