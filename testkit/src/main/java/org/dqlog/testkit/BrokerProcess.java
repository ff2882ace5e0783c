package org.dqlog.testkit;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;

/**
 * A real ActiveMQ broker ({@code org.dqlog.broker.BrokerMain}) in its own JVM, on a free
 * loopback port, with its KahaDB store in a given folder. The broker classes come from the
 * calling module's test class path (a test dependency on {@code dqlog-broker}); this module does
 * not depend on them. The child exits when the test JVM dies (it watches stdin for EOF) and
 * {@link ProcessReaper} reaps it after the test.
 *
 * <p>Thread-safe: methods are synchronized; the broker may be killed from one thread while another reads {@link #uri()}.
 */
public final class BrokerProcess implements AutoCloseable {

    public static final String MAIN_CLASS = "org.dqlog.broker.BrokerMain";
    /** Generous: a cold JVM plus KahaDB recovery on a busy 2-core machine. */
    public static final Duration DEFAULT_START_TIMEOUT = Waits.PROCESS;
    /** How long {@link #restart()} keeps retrying while the old port is still briefly busy. */
    public static final Duration DEFAULT_RESTART_TIMEOUT = Waits.PROCESS;
    public static final Pattern READY_LINE =
            Pattern.compile("^dqlog-broker ready stomp=(?:tcp|ssl)://([^\\s]+):(\\d+) data=(.+)$");

    private final Settings settings;
    private final int port;
    private ChildProcess process;

    private BrokerProcess(Settings settings, ChildProcess process, int port) {
        this.settings = settings;
        this.process = process;
        this.port = port;
    }

    /** Starts a broker on a free port with its data in {@code dataDir}, waiting until it is ready. */
    public static BrokerProcess start(Path dataDir) throws IOException {
        return builder(dataDir).start();
    }

    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    /** {@code tcp://127.0.0.1:PORT} ({@code ssl://localhost:PORT} with {@link Builder#tls}), the form the appenders and core take. */
    public synchronized String uri() {
        return settings.tls ? "ssl://localhost:" + port : "tcp://127.0.0.1:" + port;
    }

    public synchronized int port() {
        return port;
    }

    public Path dataDir() {
        return settings.dataDir;
    }

    /** The current broker process (a new one after each {@link #restart()}). */
    public synchronized ChildProcess process() {
        return process;
    }

    public synchronized boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no clean shutdown, so only what KahaDB stored survives. */
    public synchronized void kill() {
        process.kill();
    }

    /** SIGSTOP: the broker freezes with its connections open, a silent peer for heart-beat tests. */
    public synchronized void stop() {
        process.stop();
    }

    /** SIGCONT after {@link #stop()}. */
    public synchronized void resume() {
        process.resume();
    }

    /** SIGTERM: a clean broker shutdown; true if it exited in time. */
    public synchronized boolean terminate() {
        return process.terminate();
    }

    /**
     * Starts the broker again on the same port and data directory (killing the old process first if
     * it still runs). Retries while the port is briefly busy, up to {@link Builder#restartTimeout}.
     */
    public synchronized void restart() throws IOException {
        if (process.isAlive()) {
            process.close();
        }
        long deadline = System.nanoTime() + settings.restartTimeout.toNanos();
        AssertionError lastFailure = null;
        do {
            ChildProcess candidate = settings.launch(port);
            try {
                int boundPort = awaitReady(candidate, settings.startTimeout);
                if (boundPort != port) {
                    candidate.close();
                    throw new AssertionError(candidate.describe("bound port " + boundPort + " instead of " + port));
                }
                process = candidate;
                return;
            } catch (AssertionError failure) {
                candidate.close();
                lastFailure = failure;
                if (!candidate.lines().stream().anyMatch(line -> line.contains("Address already in use"))) {
                    throw failure;
                }
            }
            // A killed broker's port can stay busy for a moment; the next attempt is a new JVM, which paces the loop.
        } while (System.nanoTime() < deadline);
        throw new AssertionError("broker could not rebind port " + port + " within " + settings.restartTimeout, lastFailure);
    }

    /** Kills the broker (continuing it first if stopped); idempotent. */
    @Override
    public synchronized void close() {
        process.close();
    }

    @Override
    public synchronized String toString() {
        return "BrokerProcess[" + uri() + ", data " + settings.dataDir + ", " + process + "]";
    }

    private static int awaitReady(ChildProcess child, Duration timeout) {
        MatchResult ready = child.awaitLine(READY_LINE, timeout);
        return Integer.parseInt(ready.group(2));
    }

    /** Options for the broker child; {@link #start()} launches it. */
    public static final class Builder {
        private final Settings settings;
        private int port;

        private Builder(Path dataDir) {
            this.settings = new Settings(dataDir.toAbsolutePath().normalize());
        }

        /** Fixed port instead of a free one (0). */
        public Builder port(int value) {
            this.port = value;
            return this;
        }

        /** Name in logs and failure messages; default "broker". */
        public Builder name(String value) {
            settings.name = value;
            return this;
        }

        /** Extra BrokerMain options, e.g. {@code "--store-limit-mb", "64"}. */
        public Builder args(String... values) {
            settings.extraArgs.addAll(List.of(values));
            return this;
        }

        /**
         * STOMP over TLS only, with the certificate in {@code keyStore} (PKCS12; its password in
         * {@code passwordFile}); {@link #uri()} is then {@code ssl://localhost:PORT}.
         */
        public Builder tls(Path keyStore, Path passwordFile) {
            settings.extraArgs.addAll(List.of("--tls-keystore", keyStore.toString(), "--tls-password-file",
                    passwordFile.toString()));
            settings.tls = true;
            return this;
        }

        /**
         * STOMP over TLS only, with the self-signed certificate the broker makes (and keeps) in
         * {@code DATA/tls} ({@code --tls-self-signed}); {@link #uri()} is then {@code ssl://localhost:PORT}.
         */
        public Builder tlsSelfSigned() {
            settings.extraArgs.add("--tls-self-signed");
            settings.tls = true;
            return this;
        }

        /**
         * Users, groups and per-destination rights ({@code --security-file}): a broker that
         * refuses one destination to a user with a real ERROR frame.
         */
        public Builder security(SecurityFile file) {
            settings.extraArgs.addAll(List.of("--security-file", file.path().toString()));
            return this;
        }

        /** Replaces the JVM options (default {@link ChildProcess#DEFAULT_JVM_OPTIONS}). */
        public Builder jvmOptions(List<String> options) {
            settings.jvmOptions = new ArrayList<>(options);
            return this;
        }

        /** A class path instead of the test JVM's; it must hold dqlog-broker and its dependencies. */
        public Builder classpath(String path) {
            settings.classpath = path;
            return this;
        }

        public Builder logDir(Path dir) {
            settings.logDir = dir;
            return this;
        }

        public Builder startTimeout(Duration timeout) {
            settings.startTimeout = timeout;
            return this;
        }

        public Builder restartTimeout(Duration timeout) {
            settings.restartTimeout = timeout;
            return this;
        }

        /** Starts the broker and waits for its ready line. */
        public BrokerProcess start() throws IOException {
            ChildProcess child = settings.launch(port);
            try {
                return new BrokerProcess(settings, child, awaitReady(child, settings.startTimeout));
            } catch (AssertionError failure) {
                child.close();
                throw failure;
            }
        }
    }

    private static final class Settings {
        final Path dataDir;
        String name = "broker";
        final List<String> extraArgs = new ArrayList<>();
        List<String> jvmOptions = new ArrayList<>(ChildProcess.DEFAULT_JVM_OPTIONS);
        String classpath;
        Path logDir;
        Duration startTimeout = DEFAULT_START_TIMEOUT;
        Duration restartTimeout = DEFAULT_RESTART_TIMEOUT;
        boolean tls;

        Settings(Path dataDir) {
            this.dataDir = dataDir;
        }

        ChildProcess launch(int port) throws IOException {
            ChildProcess.Builder builder = ChildProcess.java(MAIN_CLASS)
                    .name(name)
                    .jvmOptions(jvmOptions)
                    .args("--port", Integer.toString(port), "--data", dataDir.toString(), "--exit-on-stdin-eof")
                    .args(extraArgs);
            if (classpath != null) {
                builder.classpath(classpath);
            }
            // A test class path may hold Logback or Log4j (the appender modules' tests); ActiveMQ
            // would pick that up over slf4j-nop and write megabytes of DEBUG output, slowly.
            builder.classpathFilter(BrokerProcess::isNotALoggingBackend);
            if (logDir != null) {
                builder.logDir(logDir);
            }
            return builder.start();
        }
    }

    static boolean isNotALoggingBackend(String classpathEntry) {
        String name = java.nio.file.Path.of(classpathEntry).getFileName().toString();
        return !(name.startsWith("logback-") || name.startsWith("log4j-core") || name.startsWith("log4j-slf4j"));
    }
}
