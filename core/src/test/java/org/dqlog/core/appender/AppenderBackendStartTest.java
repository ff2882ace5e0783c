package org.dqlog.core.appender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.security.Permission;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.PropertyPermission;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.dqlog.core.ExceptionInfo;
import org.dqlog.core.Level;
import org.dqlog.core.Status;
import org.dqlog.core.config.ClientSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10: the thread that starts an appender (the one configuring logging, often the
 * application's first logging call) does none of the slow start-up work, and the application
 * thread that logs a panic does not read the process facts either: both happen on the sender's
 * threads. Checked by thread identity, not by time: a security manager that allows everything
 * notes which threads read the process facts (the launcher's command, the process handle for
 * the pid).
 */
class AppenderBackendStartTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void startAndAPanicLeaveTheProcessFactsToTheSendersThreads() {
        // given: settings validated as the frameworks validate them, a broker that refuses connections
        AppenderSettings settings = new AppenderSettings(ClientSettings.of(Map.of(), Map.of()))
                .brokers("tcp://127.0.0.1:1").app("start-test").host("lxplus901")
                .spoolDir(dir.resolve("spool").toString());
        assertThat(settings.problems()).isEmpty();
        FactReaders readers = new FactReaders();
        String caller = Thread.currentThread().getName();
        AppenderBackend backend = null;
        System.setSecurityManager(readers);
        try {
            // when: the appender starts and the application logs an ERROR with an exception
            backend = AppenderBackend.start(settings, Status.SILENT);
            backend.submit(backend.records().create(Instant.now(), Level.ERROR, "org.dq.X", caller, "failed",
                    Map.of(), ExceptionInfo.of(new IllegalStateException("boom")), false, true));

            // then: the panic fields were read (the record was encoded on its way to the spool) ...
            await().atMost(WAIT).until(() -> !readers.of("sun.java.command").isEmpty());
        } finally {
            System.setSecurityManager(null);
            if (backend != null) {
                backend.close();
            }
        }
        // ... but never on the thread that started the appender and logged
        assertThat(readers.of("sun.java.command")).doesNotContain(caller).allMatch(name -> name.startsWith("dqlog-"));
        assertThat(readers.of("manageProcess")).doesNotContain(caller);
    }

    /** Allows everything; notes the threads that read the launcher's command or the process handle. */
    private static final class FactReaders extends SecurityManager {
        private final Map<String, Set<String>> threadsByFact = new ConcurrentHashMap<>();

        Set<String> of(String fact) {
            return threadsByFact.getOrDefault(fact, Set.of());
        }

        @Override
        public void checkPermission(Permission permission) {
            String name = permission.getName();
            if ((permission instanceof PropertyPermission && name.equals("sun.java.command"))
                    || (permission instanceof RuntimePermission && name.equals("manageProcess"))) {
                threadsByFact.computeIfAbsent(name, k -> ConcurrentHashMap.newKeySet()).add(Thread.currentThread().getName());
            }
        }

        @Override
        public void checkPermission(Permission permission, Object context) {
            checkPermission(permission);
        }
    }
}
