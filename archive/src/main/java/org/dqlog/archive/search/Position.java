package org.dqlog.archive.search;

/**
 * Where a record stands in time order: producer time, receive time (both microseconds since the
 * epoch, {@link Long#MIN_VALUE} when missing) and a tie-break the backend assigns (the Lucene doc
 * id), valid within one {@link RecordSearch} until its next {@link RecordSearch#refresh()}.
 */
public record Position(long ts, long rts, long tieBreak) { }
