package org.dqlog.archive.search;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The read side of an index backend: the committed records of one or more data directories,
 * searched as one, each record once (two collectors on the same brokers store the same record).
 * Results come in {@link TimeOrder}, page by page, so memory does not grow with their number.
 *
 * <p>Not thread-safe: one command's thread owns it. {@link Position}s stay valid until {@link #refresh()}.
 */
public interface RecordSearch extends Closeable {

    /** Every record of {@code query} in {@code order}, fetched page by page as the iteration goes. */
    Iterable<Hit> find(RecordQuery query, TimeOrder order);

    /** How many records match. */
    long count(RecordQuery query) throws IOException;

    /** How many records match per host directory, by host directory; hosts without a match left out. */
    Map<String, Long> countPerHost(RecordQuery query) throws IOException;

    /**
     * Up to {@code n} records of {@code hostDir} following {@code from} in {@code order}, whatever
     * the query (the context of {@code -A/-B/-C}); the record with id {@code skipId} left out.
     */
    List<Hit> neighbours(String hostDir, Position from, String skipId, int n, TimeOrder order) throws IOException;

    /** The newest receive time (rts, microseconds) among the records of {@code query}, or {@link Long#MIN_VALUE} if none. */
    long newestReceived(RecordQuery query) throws IOException;

    /** The records of {@code query} received at or after {@code rtsMicros}, in the order received (rts, then ts). */
    Iterable<Hit> receivedSince(RecordQuery query, long rtsMicros);

    /**
     * Opens what the collectors committed since (for {@code tail -f}); earlier positions become invalid.
     *
     * @return true if anything changed
     */
    boolean refresh() throws IOException;

    @Override
    void close();
}
