package org.dqlog.core;

/** The STOMP destinations of the message contract (docs/message-format.md). */
public final class Destinations {

    /** Every log record; the collector archives what arrives here. */
    public static final String LOGGING = "/queue/atlas.dqm.logging";
    /** Panics, and the second copy of every ERROR record of an appender; the collector notifies. */
    public static final String PANIC = "/queue/atlas.dqm.panic";
    /** Progress of the DQ services (RunStart, RunEnd, ...), for whoever listens at the time. */
    public static final String PROGRESS = "/topic/atlas.dqm.progress";

    private Destinations() { }
}
