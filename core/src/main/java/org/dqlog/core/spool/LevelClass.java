package org.dqlog.core.spool;

import org.dqlog.core.Level;

/**
 * The drop classes of the spool, lowest first. When the memory queue or the disk spool is full,
 * the oldest entry of the lowest class present goes first; an entry is only ever dropped to make
 * room for one of the same or a higher class. A panic has a class of its own above every log
 * level, so no panic is dropped while a log record could be dropped instead.
 *
 * <p>The disk spool keeps one sequence of segment files per class and replays the highest class
 * first; {@link #ordinal()} is part of its file names, so the order of constants must not change.
 */
public enum LevelClass {
    /** TRACE and DEBUG: the first to go. */
    TRACE_DEBUG,
    INFO,
    WARN,
    /** ERROR and FATAL records that are not panics. */
    ERROR_FATAL,
    /** Panics (whatever their level): dropped only when nothing else is left to drop. */
    PANIC;

    private static final LevelClass[] VALUES = values();

    /** Number of classes. */
    public static final int COUNT = VALUES.length;

    /** The class of a record of {@code level}; {@code panic} wins over any level. */
    public static LevelClass of(Level level, boolean panic) {
        if (panic) {
            return PANIC;
        }
        switch (level) {
            case TRACE:
            case DEBUG:
                return TRACE_DEBUG;
            case INFO:
                return INFO;
            case WARN:
                return WARN;
            default:
                return ERROR_FATAL;
        }
    }

    /** The class with this {@link #ordinal()}. */
    public static LevelClass ofOrdinal(int ordinal) {
        return VALUES[ordinal];
    }
}
