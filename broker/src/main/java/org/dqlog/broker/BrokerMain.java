package org.dqlog.broker;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * {@code ./dqlog broker}: runs one {@link EmbeddedBroker} in the foreground until SIGTERM (or, with
 * {@code --exit-on-stdin-eof}, until standard input closes, so that a broker started by a test dies
 * with the test JVM).
 *
 * <p>With {@code --user NAME --passcode-file FILE} every client must log in as NAME with the
 * passcode in FILE (a trailing line break dropped), as a production broker would demand; tests use
 * it to see a refused login. With {@code --security-file FILE} the broker has several users with
 * groups and per-destination rights ({@link BrokerSecurity} describes the file); tests use it to
 * see one destination refused. Without either, anyone may connect.
 *
 * <p>With {@code --tls-keystore} it serves STOMP over TLS only; {@code --tls-self-signed} does the
 * same with a certificate for local use that it makes once, owner-only, in DATA/tls
 * ({@link SelfSignedTls}), and says where the clients' trust store is.
 *
 * <p>Prints exactly one line on stdout when ready:
 * {@code dqlog-broker ready stomp=tcp://127.0.0.1:PORT data=/absolute/dir}. Errors go to stderr
 * with exit code 1 (could not start) or 2 (bad arguments).
 */
public final class BrokerMain {

    public static final Path DEFAULT_DATA_DIR = Path.of("dqlog-data", "broker");
    public static final String READY_PREFIX = "dqlog-broker ready stomp=";
    /**
     * Printed before the ready line with {@code --tls-self-signed}: where clients find the trust
     * store and the file with its password.
     */
    public static final String TRUST_PREFIX = "dqlog-broker trust-store=";
    /** The folder under the data directory that holds the self-signed certificate. */
    public static final String SELF_SIGNED_DIR = "tls";
    /** Printed before the ready line when {@code --openwire-port} is given. */
    public static final String OPENWIRE_PREFIX = "dqlog-broker openwire=";

    private static final String USAGE = "usage: dqlog broker [--port N (default " + EmbeddedBroker.DEFAULT_PORT
            + ", 0 = any free port)] [--data DIR (default " + DEFAULT_DATA_DIR + ")] [--host ADDR (default "
            + EmbeddedBroker.DEFAULT_HOST + ")] [--store-limit-mb N] [--user NAME --passcode-file FILE | --security-file FILE]"
            + " [--tls-keystore FILE.p12 --tls-password-file FILE | --tls-self-signed (STOMP over TLS only;"
            + " the self-signed certificate is kept in DATA/" + SELF_SIGNED_DIR + ")]"
            + " [--openwire-port N (JMS clients; off by default)]"
            + " [--exit-on-stdin-eof]";

    private BrokerMain() {
    }

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("dqlog broker: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        if (options.help) {
            System.out.println(USAGE);
            return;
        }

        EmbeddedBroker broker = new EmbeddedBroker().storeLimitBytes(options.storeLimitMb * 1024L * 1024L);
        if (options.openwirePort >= 0) {
            broker.openwirePort(options.openwirePort);
        }
        if (options.securityFile != null) {
            try {
                broker.security(BrokerSecurity.read(options.securityFile));
            } catch (IOException | IllegalArgumentException e) {
                // the file's name and the line only: the file holds passcodes
                System.err.println("dqlog broker: cannot use the security file " + options.securityFile + ": "
                        + (e instanceof IllegalArgumentException ? e.getMessage() : e.getClass().getSimpleName()));
                System.exit(2);
                return;
            }
        } else if (options.user != null) {
            try {
                broker.credentials(options.user, readPasscode(options.passcodeFile));
            } catch (IOException e) {
                // the file's name only: its content is a secret
                System.err.println("dqlog broker: cannot read the passcode file " + options.passcodeFile + ": "
                        + e.getClass().getSimpleName());
                System.exit(2);
                return;
            }
        }
        SelfSignedTls selfSigned = null;
        if (options.tlsSelfSigned) {
            try {
                selfSigned = SelfSignedTls.inFolder(options.dataDir.resolve(SELF_SIGNED_DIR), options.host);
                broker.tls(selfSigned.keyStore(), selfSigned.password());
            } catch (IOException e) {
                System.err.println("dqlog broker: cannot make or read the self-signed certificate in "
                        + options.dataDir.resolve(SELF_SIGNED_DIR).toAbsolutePath() + ": " + e.getMessage());
                System.exit(2);
                return;
            }
        } else if (options.tlsKeyStore != null) {
            try {
                broker.tls(options.tlsKeyStore, readPasscode(options.tlsPasswordFile).toCharArray());
            } catch (IOException e) {
                // names the file; the JDK's message names no secret ("keystore password was incorrect")
                System.err.println("dqlog broker: " + e.getMessage());
                System.exit(2);
                return;
            }
        }
        URI uri;
        try {
            uri = broker.start(options.port, options.dataDir, options.host);
        } catch (Exception e) {
            System.err.println("dqlog broker: could not start on " + options.host + ":" + options.port
                    + " with data " + options.dataDir.toAbsolutePath() + ": " + describe(e));
            stopQuietly(broker);
            System.exit(1);
            return;
        }
        if (options.exitOnStdinEof) {
            watchStdinForEof();
        }
        if (selfSigned != null) {
            // where the trust material is, never the password itself
            System.out.println(TRUST_PREFIX + selfSigned.trustStore() + " password-file=" + selfSigned.passwordFile());
            System.err.println("dqlog broker: STOMP over TLS with a self-signed certificate for local use; clients: "
                    + "DQLOG_TRUST_STORE=" + selfSigned.trustStore() + " DQLOG_TRUST_STORE_PASSWORD=\"$(cat "
                    + selfSigned.passwordFile() + ")\"");
        }
        if (broker.openwireUri() != null) {
            // before the ready line, so that a parent that waited for "ready" has seen it
            System.out.println(OPENWIRE_PREFIX + broker.openwireUri());
        }
        System.out.println(READY_PREFIX + uri + " data=" + broker.dataDir());
        System.out.flush();

        broker.awaitStopped();
        // The broker also stops on a fatal store error; leave then instead of lingering without a broker.
        System.exit(0);
    }

    /**
     * Exits this JVM when standard input ends: the parent test JVM holds the other end, so EOF
     * means it is gone. Watches on a daemon thread.
     */
    public static void watchStdinForEof() {
        Thread watcher = new Thread(() -> {
            InputStream in = System.in;
            byte[] buffer = new byte[256];
            try {
                while (in.read(buffer) >= 0) {
                    // input is ignored; only its end matters
                }
            } catch (IOException e) {
                // a broken stdin means the parent is gone as surely as EOF does
            }
            System.exit(0);
        }, "dqlog-stdin-eof-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }

    /**
     * The passcode in {@code file}; warns once on stderr, naming the file and its mode, when group
     * or others may read it. (This module cannot use core's PasscodeFile, which depends on this
     * one for its tests; the rule is the same.)
     */
    private static String readPasscode(Path file) throws IOException {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (!PosixFilePermissions.toString(perms).endsWith("------")) {
                System.err.println("dqlog broker: warning: the passcode file " + file + " is readable by others (mode "
                        + PosixFilePermissions.toString(perms) + "); make it owner-only: chmod 600 " + file);
            }
        } catch (UnsupportedOperationException e) {
            // no POSIX modes on this file system
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int end = text.length(); // without its trailing line breaks, exactly as the clients read it
        while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
            end--;
        }
        return text.substring(0, end);
    }

    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder(String.valueOf(e));
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            text.append(" <- ").append(cause);
        }
        return text.toString();
    }

    private static void stopQuietly(EmbeddedBroker broker) {
        try {
            broker.stop();
        } catch (Exception ignored) {
            // already failing; the start error is the one to report
        }
    }

    private static final class Options {
        int port = EmbeddedBroker.DEFAULT_PORT;
        Path dataDir = DEFAULT_DATA_DIR;
        String host = EmbeddedBroker.DEFAULT_HOST;
        long storeLimitMb;
        int openwirePort = -1;
        String user;
        Path passcodeFile;
        Path securityFile;
        Path tlsKeyStore;
        Path tlsPasswordFile;
        boolean tlsSelfSigned;
        boolean exitOnStdinEof;
        boolean help;

        static Options parse(String[] args) {
            Options options = new Options();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--port":
                        options.port = parseInt(arg, value(args, ++i, arg), 0, 65535);
                        break;
                    case "--data":
                        options.dataDir = Path.of(value(args, ++i, arg));
                        break;
                    case "--host":
                        options.host = value(args, ++i, arg);
                        break;
                    case "--store-limit-mb":
                        options.storeLimitMb = parseInt(arg, value(args, ++i, arg), 1, Integer.MAX_VALUE);
                        break;
                    case "--user":
                        options.user = value(args, ++i, arg);
                        break;
                    case "--passcode-file":
                        options.passcodeFile = Path.of(value(args, ++i, arg));
                        break;
                    case "--security-file":
                        options.securityFile = Path.of(value(args, ++i, arg));
                        break;
                    case "--tls-keystore":
                        options.tlsKeyStore = Path.of(value(args, ++i, arg));
                        break;
                    case "--tls-password-file":
                        options.tlsPasswordFile = Path.of(value(args, ++i, arg));
                        break;
                    case "--tls-self-signed":
                        options.tlsSelfSigned = true;
                        break;
                    case "--openwire-port":
                        options.openwirePort = parseInt(arg, value(args, ++i, arg), 0, 65535);
                        break;
                    case "--exit-on-stdin-eof":
                        options.exitOnStdinEof = true;
                        break;
                    case "-h":
                    case "--help":
                        options.help = true;
                        break;
                    default:
                        throw new IllegalArgumentException("unknown option " + arg);
                }
            }
            if ((options.user == null) != (options.passcodeFile == null)) {
                throw new IllegalArgumentException("--user and --passcode-file go together");
            }
            if ((options.tlsKeyStore == null) != (options.tlsPasswordFile == null)) {
                throw new IllegalArgumentException("--tls-keystore and --tls-password-file go together");
            }
            if (options.tlsSelfSigned && options.tlsKeyStore != null) {
                throw new IllegalArgumentException("--tls-self-signed makes its own key store; leave out --tls-keystore");
            }
            if (options.user != null && options.securityFile != null) {
                throw new IllegalArgumentException("--security-file names the users; leave out --user");
            }
            return options;
        }

        private static String value(String[] args, int index, String option) {
            if (index >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[index];
        }

        private static int parseInt(String option, String value, int min, int max) {
            try {
                int number = Integer.parseInt(value);
                if (number < min || number > max) {
                    throw new IllegalArgumentException(option + " must be between " + min + " and " + max + ": " + value);
                }
                return number;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " needs a number: " + value);
            }
        }
    }
}
