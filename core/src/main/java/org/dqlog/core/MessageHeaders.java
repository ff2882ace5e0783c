package org.dqlog.core;

/**
 * Names and fixed values of the STOMP headers of the message contract (docs/message-format.md).
 * Values are plain text here; escaping them for a frame is the frame codec's job.
 */
public final class MessageHeaders {

    /** Marks a message of the DQ system; always {@value #MSG_CLASS_DQ}. */
    public static final String MSG_CLASS = "MsgClass";
    public static final String MSG_CLASS_DQ = "DQ";
    /** {@code Log}, {@code Panic}, {@code RunStart}, {@code RunEnd}, ... */
    public static final String MSG_TYPE = "MsgType";
    /** ActiveMQ stores the message on disk; always {@code true}. */
    public static final String PERSISTENT = "persistent";
    public static final String CONTENT_TYPE = "content-type";
    /** Bodies are UTF-8 JSON (RFC 8259: JSON is UTF-8, so no charset parameter). */
    public static final String JSON_CONTENT_TYPE = "application/json";
    /**
     * ActiveMQ turns a SEND with a {@code content-length} header into a JMS BytesMessage, one
     * without into a TextMessage, unless this header says which; {@value #AMQ_TEXT} makes every
     * body a TextMessage, as the Python tooling's are, whether or not the frame has a length.
     */
    public static final String AMQ_MSG_TYPE = "amq-msg-type";
    public static final String AMQ_TEXT = "text";
    /** Selector headers: the record's host, app and level. */
    public static final String HOST = "host";
    public static final String APP = "app";
    public static final String LEVEL = "level";

    /** Set by the broker on delivery. */
    public static final String DESTINATION = "destination";
    /** Set by the broker on delivery; stable across redeliveries. */
    public static final String MESSAGE_ID = "message-id";
    /** Set by ActiveMQ on delivery: when the broker received the message, epoch milliseconds. */
    public static final String TIMESTAMP = "timestamp";

    private MessageHeaders() { }
}
