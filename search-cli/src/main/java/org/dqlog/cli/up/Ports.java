package org.dqlog.cli.up;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Whether a local port can be bound, asked by binding it for a moment. */
final class Ports {

    private Ports() { }

    /** True if {@code host:port} could be bound just now (0 is always free). */
    static boolean isFree(String host, int port) {
        if (port == 0) {
            return true;
        }
        try (ServerSocket probe = new ServerSocket()) {
            // as a server that restarts binds it: a port in TIME_WAIT after the last ./dqlog up counts as free
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code preferred} when free, else 0 (any free port). */
    static int preferredOrAny(String host, int preferred) {
        return isFree(host, preferred) ? preferred : 0;
    }
}
