package org.dqlog.it;

/**
 * A test's own logging and panic queues, so that tests sharing brokers (and messages a test left
 * unacknowledged) never meet.
 */
record Queues(String logging, String panic) {

    /** {@code /queue/it.NAME.logging} and {@code /queue/it.NAME.panic}. */
    static Queues named(String name) {
        String safe = name.replaceAll("[^A-Za-z0-9_-]", "_");
        return new Queues("/queue/it." + safe + ".logging", "/queue/it." + safe + ".panic");
    }
}
