package org.dqlog.cli;

/** {@code --color=WHEN}, as grep reads it. */
public enum ColorMode {
    auto, always, never;

    boolean enabled(boolean terminal) {
        return this == always || (this == auto && terminal);
    }
}
