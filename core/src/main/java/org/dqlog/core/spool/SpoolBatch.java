package org.dqlog.core.spool;

import java.util.Collections;
import java.util.List;

/**
 * Entries read from a {@link DiskSpool}, all of one level class and in the order they were
 * appended. They stay on disk until the batch is passed to {@link DiskSpool#commit}.
 *
 * <p>Immutable, so thread-safe.
 */
public final class SpoolBatch {

    private final DiskSpool spool;
    private final LevelClass levelClass;
    final SpoolPosition start;
    final SpoolPosition end;
    private final List<SpoolEntry> entries;

    SpoolBatch(DiskSpool spool, LevelClass levelClass, SpoolPosition start, SpoolPosition end, List<SpoolEntry> entries) {
        this.spool = spool;
        this.levelClass = levelClass;
        this.start = start;
        this.end = end;
        this.entries = Collections.unmodifiableList(entries);
    }

    /** The spool it was read from, to commit or give it back to. */
    public DiskSpool spool() {
        return spool;
    }

    public LevelClass levelClass() {
        return levelClass;
    }

    /** The entries, oldest first; empty if the batch only covered damaged records. */
    public List<SpoolEntry> entries() {
        return entries;
    }

    public int size() {
        return entries.size();
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    @Override
    public String toString() {
        return "SpoolBatch[" + levelClass + ", " + entries.size() + " entries, " + start + ".." + end + "]";
    }
}
