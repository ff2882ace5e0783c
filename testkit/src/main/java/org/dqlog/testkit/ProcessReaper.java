package org.dqlog.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension that kills every {@link ChildProcess} a test started: after each test, the
 * children started since that test's {@code @BeforeEach} phase; after the class, those started
 * since its {@code @BeforeAll} phase (so a broker shared by a class lives until the class ends).
 * Stopped (SIGSTOP) children are continued first, then SIGKILLed with their descendants, and
 * waited for. A JVM shutdown hook kills whatever is still alive as a last resort.
 *
 * <p>Use {@code @ExtendWith(ProcessReaper.class)} or {@code @RegisterExtension static ProcessReaper
 * reaper = new ProcessReaper();}. Assumes tests of one JVM run one at a time (no parallel
 * execution). Thread-safe: the registry may be fed from any thread.
 */
public final class ProcessReaper implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {

    public static final Duration DEFAULT_EXIT_WAIT = Duration.ofSeconds(10);

    private static final ConcurrentLinkedQueue<ChildProcess> CHILDREN = new ConcurrentLinkedQueue<>();
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static final String FIRST_SEQUENCE = "firstSequence";

    static {
        Thread hook = new Thread(() -> reapSince(0), "dqlog-process-reaper");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    static long nextSequence() {
        return SEQUENCE.incrementAndGet();
    }

    static void register(ChildProcess child) {
        CHILDREN.add(child);
    }

    /** Children started and not yet reaped (alive or not), oldest first. */
    public static List<ChildProcess> children() {
        return new ArrayList<>(CHILDREN);
    }

    /** Kills every registered child still alive; for code outside JUnit's lifecycle. Returns those it had to kill. */
    public static List<ChildProcess> reapAll() {
        return reapSince(0);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        mark(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        mark(context);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        reapSince(firstSequence(context));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        reapSince(firstSequence(context));
    }

    private static void mark(ExtensionContext context) {
        store(context).put(FIRST_SEQUENCE, SEQUENCE.get() + 1);
    }

    private static long firstSequence(ExtensionContext context) {
        Long first = store(context).get(FIRST_SEQUENCE, Long.class);
        return first == null ? 0 : first;
    }

    private static ExtensionContext.Store store(ExtensionContext context) {
        return context.getStore(ExtensionContext.Namespace.create(ProcessReaper.class, context.getUniqueId()));
    }

    private static List<ChildProcess> reapSince(long firstSequence) {
        List<ChildProcess> reaped = new ArrayList<>();
        for (ChildProcess child : CHILDREN) {
            if (child.sequence() < firstSequence) {
                continue;
            }
            if (child.isAlive()) {
                reaped.add(child);
                child.killNow();
            }
        }
        // The descendants were killed with their parents; wait for the parents themselves.
        for (ChildProcess child : reaped) {
            child.waitFor(DEFAULT_EXIT_WAIT);
        }
        CHILDREN.removeIf(child -> child.sequence() >= firstSequence && !child.isAlive());
        return reaped;
    }
}
