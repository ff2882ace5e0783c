package org.dqlog.core;

import java.util.Locale;

/**
 * Severity of a record, low to high. Python's {@code WARNING} and {@code CRITICAL} are read as
 * {@link #WARN} and {@link #FATAL}, so records from the Python tooling sort with everyone else's.
 */
public enum Level {
    TRACE, DEBUG, INFO, WARN, ERROR, FATAL;

    /** True if this level is {@code other} or more severe. */
    public boolean isAtLeast(Level other) {
        return compareTo(other) >= 0;
    }

    /**
     * Reads a level name from any of the tools of the fleet (case-insensitive; {@code WARNING},
     * {@code CRITICAL}, {@code SEVERE} and {@code FINE}-style Java names included).
     *
     * @throws IllegalArgumentException naming the value when it is no level
     */
    public static Level parse(String name) {
        Level level = parseOrNull(name);
        if (level == null) {
            throw new IllegalArgumentException("not a log level: '" + name
                    + "' (expected TRACE, DEBUG, INFO, WARN, ERROR or FATAL)");
        }
        return level;
    }

    /** Like {@link #parse} but returns null for an unknown or missing name. */
    public static Level parseOrNull(String name) {
        if (name == null) {
            return null;
        }
        switch (name.trim().toUpperCase(Locale.ROOT)) {
            case "TRACE": case "FINEST": case "FINER": return TRACE;
            case "DEBUG": case "FINE": case "CONFIG": return DEBUG;
            case "INFO": return INFO;
            case "WARN": case "WARNING": return WARN;
            case "ERROR": case "SEVERE": return ERROR;
            case "FATAL": case "CRITICAL": return FATAL;
            default: return null;
        }
    }
}
