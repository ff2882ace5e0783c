package org.dqlog.collector;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.dqlog.core.Status;
import org.dqlog.testkit.BrokerProcess;

/** Test fixtures shared by the daemon's tests. */
final class TestBrokers {

    private TestBrokers() { }

    /** Two broker processes, started side by side (each takes seconds to start). */
    static List<BrokerProcess> startTwo(Path dir) throws IOException {
        CompletableFuture<BrokerProcess> a = CompletableFuture.supplyAsync(() -> start(dir.resolve("a"), "broker-a"));
        CompletableFuture<BrokerProcess> b = CompletableFuture.supplyAsync(() -> start(dir.resolve("b"), "broker-b"));
        try {
            return List.of(a.join(), b.join());
        } catch (CompletionException e) {
            a.thenAccept(BrokerProcess::close);
            b.thenAccept(BrokerProcess::close);
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            throw e;
        }
    }

    private static BrokerProcess start(Path data, String name) {
        try {
            return BrokerProcess.builder(data).name(name).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The collector's warnings and errors on the test's stderr (quiet otherwise), to explain a failure. */
    static final Status WARNINGS = new Status() {
        private final ConsoleStatus console = new ConsoleStatus(System.err);

        @Override
        public void info(String message) {
        }

        @Override
        public void warn(String message, Throwable cause) {
            console.warn(message, cause);
        }

        @Override
        public void error(String message, Throwable cause) {
            console.error(message, cause);
        }
    };
}
