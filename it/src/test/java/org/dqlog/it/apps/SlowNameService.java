package org.dqlog.it.apps;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Permission;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A name service that does not answer, made real inside an application JVM without touching
 * /etc/hosts or the network: Java 17 asks the security manager ({@code checkConnect(host, -1)})
 * on the looking-up thread before every name lookup, cached or not, so a security manager that
 * waits there makes every lookup of one host name wait, on whichever thread does it.
 *
 * <p>With {@code -D}{@value #PROPERTY}{@code =HOST}, lookups of HOST wait until the file
 * {@value #RELEASE_FILE} exists in {@code dqlog.it.dir}; the first waiting thread prints
 * {@code dns-blocked THREAD} on stdout, so the test knows which thread waits. Every other check
 * is allowed: this manager stands in for a slow name service, not for a security policy.
 *
 * <p>Thread-safe.
 */
final class SlowNameService extends SecurityManager {

    static final String PROPERTY = "dqlog.it.blockDns";
    static final String RELEASE_FILE = "dns-release";
    public static final String BLOCKED_PREFIX = "dns-blocked ";

    private final String host;
    private final Path release;
    private volatile boolean announced;

    private SlowNameService(String host, Path release) {
        this.host = host;
        this.release = release;
    }

    /** Installs the manager when the application was started with {@value #PROPERTY}. */
    static void installIfAsked() {
        String host = System.getProperty(PROPERTY);
        if (host != null && !host.isEmpty()) {
            System.setSecurityManager(new SlowNameService(host, Path.of(System.getProperty("dqlog.it.dir"), RELEASE_FILE)));
        }
    }

    @Override
    public void checkConnect(String target, int port) {
        if (port != -1 || !host.equalsIgnoreCase(target)) {
            return;
        }
        while (!Files.exists(release)) {
            if (!announced) {
                announced = true;
                System.out.println(BLOCKED_PREFIX + Thread.currentThread().getName());
                System.out.flush();
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    @Override
    public void checkPermission(Permission perm) {
        // allowed
    }

    @Override
    public void checkPermission(Permission perm, Object context) {
        // allowed
    }
}
