package org.dqlog.testkit;

import java.time.Duration;

/**
 * Deadlines for tests that wait on a condition. A deadline only decides how long a broken run
 * takes to fail: a passing test returns as soon as its condition holds. So they are sized for a
 * machine ten times slower than an idle one (a build pinned to one core that four CPU burners
 * share), never for speed; speed is measured in {@code bench/}, not asserted in tests.
 *
 * <p>A test that watches that something does <em>not</em> happen uses Awaitility's
 * {@code during(quiet).atMost(CONDITION)}: the quiet time proves the point, and the deadline
 * only has to leave room for the first look at the condition.
 */
public final class Waits {

    /**
     * A condition that depends on broker processes, child JVMs, reconnects or a collector in
     * this JVM: three minutes.
     */
    public static final Duration CONDITION = Duration.ofMinutes(3);
    /** A cold JVM, a broker start with KahaDB recovery, or a child's exit: two minutes. */
    public static final Duration PROCESS = Duration.ofMinutes(2);

    private Waits() {
    }
}
