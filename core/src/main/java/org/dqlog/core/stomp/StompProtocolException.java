package org.dqlog.core.stomp;

import java.io.IOException;

/** Bytes on the wire that are not a valid STOMP 1.2 frame, or a frame larger than allowed. */
public class StompProtocolException extends IOException {

    private static final long serialVersionUID = 1L;

    public StompProtocolException(String message) {
        super(message);
    }
}
