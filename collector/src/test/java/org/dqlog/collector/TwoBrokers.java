package org.dqlog.collector;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.dqlog.testkit.BrokerProcess;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Two real broker processes shared by the tests of a class (each test on destinations of its
 * own): started side by side before the first test, closed after the last, their data in a
 * directory of their own. {@code @RegisterExtension static final TwoBrokers BROKERS = new TwoBrokers();}
 */
final class TwoBrokers implements BeforeAllCallback, AfterAllCallback {

    private Path dir;
    private BrokerProcess a;
    private BrokerProcess b;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("dqlog-brokers");
        List<BrokerProcess> brokers = TestBrokers.startTwo(dir);
        a = brokers.get(0);
        b = brokers.get(1);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try {
            if (a != null) {
                a.close();
            }
            if (b != null) {
                b.close();
            }
        } finally {
            deleteRecursively(dir);
        }
    }

    BrokerProcess a() {
        return a;
    }

    BrokerProcess b() {
        return b;
    }

    /** Both brokers' addresses, a first. */
    List<String> uris() {
        return List.of(a.uri(), b.uri());
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
