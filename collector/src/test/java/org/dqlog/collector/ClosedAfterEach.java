package org.dqlog.collector;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Closes, after each test, what the test handed to {@link #add}, the last first (a collector
 * before the senders and servers it uses). {@code @RegisterExtension final ClosedAfterEach toClose = new ClosedAfterEach();}
 */
final class ClosedAfterEach implements AfterEachCallback {

    private final List<AutoCloseable> toClose = new ArrayList<>();

    void add(AutoCloseable c) {
        toClose.add(c);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        try {
            for (int i = toClose.size() - 1; i >= 0; i--) {
                toClose.get(i).close();
            }
        } finally {
            toClose.clear();
        }
    }
}
