package org.dqlog.core.publish;

/**
 * Every broker was tried and each refused for good, as {@link org.dqlog.core.stomp.Refusals#isPermanent}
 * tells: a refused login or right (a wrong login or passcode), or a broker certificate the client
 * does not trust or that names another host. Retrying soon will not fix it, so senders report it
 * as such and retry slowly; a trouble that may pass (a full broker, "max connections exceeded")
 * is a plain {@link PublishException}. {@link #everyBrokerRefused()} is always true.
 */
public final class LoginRefusedException extends PublishException {

    private static final long serialVersionUID = 1L;

    public LoginRefusedException(String message) {
        super(message);
    }
}
