package org.dqlog.core.stomp;

/** STOMP 1.2 subscription acknowledgement modes. There is deliberately no NACK anywhere: ActiveMQ dead-letters a NACKed message at once. */
public enum AckMode {
    /** The broker counts a message as consumed when it sends it. */
    AUTO("auto"),
    /** An ACK acknowledges the message and every earlier one of the subscription (cumulative). */
    CLIENT("client"),
    /** An ACK acknowledges exactly one message. */
    CLIENT_INDIVIDUAL("client-individual");

    private final String header;

    AckMode(String header) {
        this.header = header;
    }

    /** The value of the SUBSCRIBE frame's {@code ack} header. */
    public String header() {
        return header;
    }
}
