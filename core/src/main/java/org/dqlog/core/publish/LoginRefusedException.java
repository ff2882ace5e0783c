package org.dqlog.core.publish;

/**
 * Every broker tried refused the login (an ERROR frame in answer to CONNECT): a wrong login or
 * passcode, which retrying soon will not fix. Senders report it as such and retry slowly.
 */
public final class LoginRefusedException extends PublishException {

    private static final long serialVersionUID = 1L;

    public LoginRefusedException(String message) {
        super(message);
    }
}
