package org.dqlog.collector.ops;

/** Why a message went to the dead-letter file; {@link #label()} is what the file and the metrics say. */
public enum DeadLetterReason {
    /** The body is not a record: not UTF-8 JSON, or JSON of the wrong shape. */
    UNDECODABLE("undecodable"),
    /** The body is larger than {@code maxMessageBytes}. */
    OVERSIZE("oversize"),
    /** The body decodes but lacks a field a record cannot do without. */
    MISSING_FIELDS("missing-fields"),
    /** The body is not what was sent: it runs past its content-length (ActiveMQ's rewrite of invalid UTF-8 in a text message). */
    DAMAGED("damaged"),
    /** The collector failed on the message again and again; set aside so that the stream behind it goes on. */
    POISON("poison");

    private final String label;

    DeadLetterReason(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
