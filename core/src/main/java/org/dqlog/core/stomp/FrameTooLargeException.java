package org.dqlog.core.stomp;

/** A frame that exceeds the configured maximum frame size; the stream is unusable afterwards. */
public class FrameTooLargeException extends StompProtocolException {

    private static final long serialVersionUID = 1L;

    public FrameTooLargeException(String message) {
        super(message);
    }
}
