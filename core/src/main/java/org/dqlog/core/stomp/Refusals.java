package org.dqlog.core.stomp;

import java.security.cert.CertificateException;
import java.util.regex.Pattern;
import javax.net.ssl.SSLHandshakeException;

/**
 * Tells a broker's permanent "no" from trouble that may pass: a refused login or authorization
 * (an ERROR frame that says so) and a certificate the client does not trust or that names
 * another host will give the same answer however often they are retried; a refused connection,
 * a timeout or a full store may not.
 *
 * <p>Stateless, so thread-safe.
 */
public final class Refusals {

    /** What ActiveMQ's (and other brokers') ERROR frames say when a login or a right is refused. */
    private static final Pattern REFUSED = Pattern.compile(
            "(?i)password|not authori[sz]ed|authenticat|credentials|access denied|security exception");

    private Refusals() { }

    /** True when {@code failure} (or a cause of it) is a refusal that retrying cannot change. */
    public static boolean isPermanent(Throwable failure) {
        boolean handshake = false;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StompErrorException && t.getMessage() != null && REFUSED.matcher(t.getMessage()).find()) {
                return true;
            }
            if (t instanceof SSLHandshakeException) {
                handshake = true;
            }
            if (handshake && t instanceof CertificateException) {
                return true;
            }
        }
        return false;
    }
}
