package org.dqlog.core.publish;

/**
 * What an {@link AsyncSender} has done so far, counted in records (a panic sent to two queues
 * counts once). A snapshot: the counters move on while it is read, so sums between them hold only
 * once the sender is idle or closed.
 *
 * <p>Immutable, so thread-safe.
 */
public final class SenderStats {

    private final long accepted;
    private final long rejected;
    private final int queued;
    private final long queuedBytes;
    private final long sent;
    private final long spooled;
    private final long spoolBytes;
    private final long dropped;
    private final long lost;
    private final long failovers;
    private final String connectedBroker;
    private final long deadLettered;

    SenderStats(long accepted, long rejected, int queued, long queuedBytes, long sent, long spooled, long spoolBytes,
            long dropped, long lost, long failovers, String connectedBroker, long deadLettered) {
        this.accepted = accepted;
        this.rejected = rejected;
        this.queued = queued;
        this.queuedBytes = queuedBytes;
        this.sent = sent;
        this.spooled = spooled;
        this.spoolBytes = spoolBytes;
        this.dropped = dropped;
        this.lost = lost;
        this.failovers = failovers;
        this.connectedBroker = connectedBroker;
        this.deadLettered = deadLettered;
    }

    /** Records {@link AsyncSender#submit} took into the memory queue. */
    public long accepted() {
        return accepted;
    }

    /** Records {@code submit} refused: after close, or because encoding failed. */
    public long rejected() {
        return rejected;
    }

    /** Records in the memory queue now. */
    public int queued() {
        return queued;
    }

    /** Body bytes in the memory queue now. */
    public long queuedBytes() {
        return queuedBytes;
    }

    /** Records a broker confirmed (the sender's own dropped-records reports included). */
    public long sent() {
        return sent;
    }

    /** Records written to the disk spool (some may be sent since, and counted in {@link #sent()} too). */
    public long spooled() {
        return spooled;
    }

    /** Size of the spool's files now; 0 without a spool. */
    public long spoolBytes() {
        return spoolBytes;
    }

    /** Records dropped by the memory queue or the disk spool when full (by level class, lowest first). */
    public long dropped() {
        return dropped;
    }

    /** Records still in memory when {@link AsyncSender#close()} gave up, with no spool to keep them. */
    public long lost() {
        return lost;
    }

    /** Broker connections given up because they failed. */
    public long failovers() {
        return failovers;
    }

    /** Records a broker refused for good (not authorised, too large): kept in the dead-letter file beside the spool. */
    public long deadLettered() {
        return deadLettered;
    }

    /** The broker the sender is connected to ({@code tcp://host:port}), or null. */
    public String connectedBroker() {
        return connectedBroker;
    }

    @Override
    public String toString() {
        return "SenderStats[accepted=" + accepted + ", rejected=" + rejected + ", queued=" + queued + ", sent=" + sent
                + ", spooled=" + spooled + ", spoolBytes=" + spoolBytes + ", dropped=" + dropped + ", lost=" + lost
                + ", failovers=" + failovers + ", deadLettered=" + deadLettered + ", connected=" + (connectedBroker == null ? "no" : connectedBroker) + "]";
    }
}
