package org.dqlog.core;

/**
 * A message body that cannot be read as a record: not JSON, not a JSON object, a field of the
 * wrong type, a timestamp that cannot be parsed. The message says which, so that the
 * dead-letter file tells an operator what to fix at the producer.
 */
public final class MalformedRecordException extends Exception {

    private static final long serialVersionUID = 1L;

    public MalformedRecordException(String reason) {
        super(reason);
    }

    public MalformedRecordException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
