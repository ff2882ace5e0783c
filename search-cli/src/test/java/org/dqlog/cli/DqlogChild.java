package org.dqlog.cli;

import java.io.IOException;

/**
 * {@code dqlog} in a child JVM of a test: {@link Main} with the testkit's contract that a child
 * exits when its parent dies (standard input reaches EOF), so no listener outlives a test JVM.
 */
public final class DqlogChild {

    private DqlogChild() { }

    public static void main(String[] args) {
        Thread watcher = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // nothing is sent on stdin; only its end matters
                }
            } catch (IOException e) {
                // the parent's end broke: the same as EOF
            }
            System.exit(0);
        }, "parent-watch");
        watcher.setDaemon(true);
        watcher.start();
        Main.main(args);
    }
}
