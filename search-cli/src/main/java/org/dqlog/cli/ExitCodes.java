package org.dqlog.cli;

/**
 * Exit codes of {@code dqlog}, grep's for {@code search} and {@code tail}: picocli's default of 1
 * for an exception would read as "nothing matched", so every error maps to {@link #ERROR}.
 */
public final class ExitCodes {

    /** Something matched (search, tail), or the command did its job. */
    public static final int OK = 0;
    /** Nothing matched (search, tail); {@code panic}: no broker stored the panic. */
    public static final int NO_MATCH = 1;
    /** An error: bad usage, bad query or time, missing or unreadable index. */
    public static final int ERROR = 2;

    private ExitCodes() { }
}
