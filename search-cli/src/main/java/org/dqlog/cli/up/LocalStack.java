package org.dqlog.cli.up;

import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.dqlog.broker.EmbeddedBroker;
import org.dqlog.collector.Collector;
import org.dqlog.collector.ConsoleStatus;
import org.dqlog.collector.config.CollectorConfig;
import org.dqlog.collector.config.ConfigException;
import org.dqlog.core.FileModes;

/**
 * The whole system on one machine, in one JVM: an embedded broker, a mail sink and a collector
 * that consumes from that broker and mails panics to that sink, all with data under one folder.
 * Started in that order (each needs the one before), stopped in the order that loses nothing:
 * the demo applications (so their last records still arrive), the collector (it completes and
 * acknowledges what it holds), the broker (it keeps whatever is left for the next start), the
 * sink. Every step of stopping is bounded.
 *
 * <p>Thread-safe: {@link #close()} may be called from any thread (a shutdown hook), more than once.
 */
public final class LocalStack implements AutoCloseable {

    /** Longest the broker may take to stop before it is left to the JVM's exit. */
    static final Duration BROKER_STOP_WAIT = Duration.ofSeconds(20);
    /** Longest the demo applications may take to flush and exit after SIGTERM. */
    static final Duration DEMO_STOP_WAIT = Duration.ofSeconds(15);

    private final UpSettings settings;
    private final PrintStream err;
    private final CountDownLatch closed = new CountDownLatch(1);
    private DataLock lock;
    private EmbeddedBroker broker;
    private MailSink sink;
    private Collector collector;
    private Path collectorConfigFile;
    private Process demo;
    private boolean closing; // guarded by this

    private LocalStack(UpSettings settings, PrintStream err) {
        this.settings = settings;
        this.err = err;
    }

    /**
     * Starts everything, or nothing: on failure what was started is stopped again.
     *
     * @throws UpException with exit code 2 when the port or the data folder is in use, 1 for any other failure
     */
    public static LocalStack start(UpSettings settings, PrintStream err) throws UpException {
        LocalStack stack = new LocalStack(settings, err);
        try {
            stack.open();
            return stack;
        } catch (UpException e) {
            stack.close();
            throw e;
        }
    }

    private void open() throws UpException {
        Path data = settings.dataDir();
        // Before anything is created: a port conflict leaves no empty ./dqlog-data behind.
        if (!Ports.isFree(UpSettings.HOST, settings.brokerPort())) {
            throw portTaken(settings.brokerPort());
        }
        try {
            lock = DataLock.tryLock(data);
        } catch (IOException e) {
            throw new UpException(UpCommand.EXIT_CANNOT_START, "cannot use the data folder " + data + ": " + describe(e));
        }
        if (lock == null) {
            throw new UpException(UpCommand.EXIT_CONFLICT, "another ./dqlog up is using " + data + "; stop it first");
        }
        startBroker();
        startSink();
        startCollector();
        startDemo();
    }

    private void startBroker() throws UpException {
        int port = settings.brokerPort();
        broker = new EmbeddedBroker().useShutdownHook(false);
        try {
            // ActiveMQ creates its store files with the umask: an owner-only folder keeps them from others
            FileModes.createDirectories(settings.brokerDir());
            broker.start(port, settings.brokerDir(), UpSettings.HOST);
        } catch (Exception e) {
            if (causedBy(e, BindException.class)) {
                throw portTaken(port);
            }
            throw new UpException(UpCommand.EXIT_CANNOT_START, "the broker could not start with data " + settings.brokerDir()
                    + ": " + describe(e));
        }
    }

    private static UpException portTaken(int port) {
        return new UpException(UpCommand.EXIT_CONFLICT, "port " + port + " on " + UpSettings.HOST
                + " is taken (another broker or ./dqlog up?); stop it, or choose another port with --port N");
    }

    private void startSink() throws UpException {
        try {
            InetAddress loopback = InetAddress.getByName(UpSettings.HOST);
            try {
                sink = MailSink.start(loopback, settings.smtpPort(), settings.mailDir());
            } catch (BindException e) {
                // 2525 is only a habit: any free port serves, the collector is told which
                sink = MailSink.start(loopback, 0, settings.mailDir());
            }
        } catch (IOException e) {
            throw new UpException(UpCommand.EXIT_CANNOT_START, "the mail sink could not start: " + describe(e));
        }
    }

    private void startCollector() throws UpException {
        Path data = settings.dataDir();
        int httpPort = Ports.preferredOrAny(UpSettings.HOST, settings.httpPort());
        String yaml = UpCollectorConfig.yaml(broker.uri(), data, UpSettings.HOST, sink.port(), httpPort);
        collectorConfigFile = data.resolve(UpSettings.COLLECTOR_CONFIG);
        CollectorConfig config;
        try {
            Files.writeString(collectorConfigFile, yaml, StandardCharsets.UTF_8);
            FileModes.inherit(collectorConfigFile);
            config = UpCollectorConfig.parse(yaml, collectorConfigFile);
        } catch (IOException e) {
            throw new UpException(UpCommand.EXIT_CANNOT_START, "cannot write " + collectorConfigFile + ": " + describe(e));
        } catch (ConfigException e) {
            throw new UpException(UpCommand.EXIT_CANNOT_START, "bug: the generated collector configuration is wrong: " + e.getMessage());
        }
        try {
            collector = Collector.start(config, new ConsoleStatus(err));
        } catch (IOException | RuntimeException e) {
            throw new UpException(UpCommand.EXIT_CANNOT_START, "the collector could not start with data " + data + ": " + describe(e));
        }
    }

    private void startDemo() {
        if (settings.demoCommand() == null) {
            return;
        }
        ProcessBuilder pb = new ProcessBuilder(settings.demoCommand()).inheritIO()
                .directory(settings.dataDir().getParent().toFile());
        pb.environment().put("DQLOG_BROKERS", brokerUri().toString());
        pb.redirectInput(ProcessBuilder.Redirect.PIPE); // its stdin ends with us: the demo stops when up dies
        try {
            demo = pb.start();
        } catch (IOException e) {
            err.println("dqlog up: the demo applications did not start (" + describe(e) + "); everything else runs");
        }
    }

    public URI brokerUri() {
        return broker.uri();
    }

    public Path dataDir() {
        return settings.dataDir();
    }

    public Path mailDir() {
        return sink.folder();
    }

    public String smtpAddress() {
        return sink.address();
    }

    public MailSink mailSink() {
        return sink;
    }

    /** {@code http://127.0.0.1:PORT/health}, or null when the collector serves no HTTP. */
    public URI healthUri() {
        return collector.httpUri().map(u -> u.resolve("/health")).orElse(null);
    }

    public Path collectorConfigFile() {
        return collectorConfigFile;
    }

    public boolean demoStarted() {
        return demo != null;
    }

    /** Blocks until {@link #close()} has finished. */
    public void awaitClosed() throws InterruptedException {
        closed.await();
    }

    /** Blocks until the broker stops by itself (a fatal store error) or {@link #close()} stops it. */
    public void awaitBrokerStopped() {
        if (broker != null) {
            broker.awaitStopped();
        }
    }

    /** True once {@link #close()} has begun. */
    public synchronized boolean isClosing() {
        return closing;
    }

    /** Stops the demo, the collector, the broker and the sink, in that order, each within a bound. Never throws. */
    @Override
    public void close() {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
        }
        try {
            stopDemo();
            if (collector != null) {
                collector.close();
            }
            stopBroker();
            if (sink != null) {
                sink.close();
            }
        } finally {
            if (lock != null) {
                lock.close();
            }
            closed.countDown();
        }
    }

    private void stopDemo() {
        if (demo == null) {
            return;
        }
        demo.destroy();
        try {
            if (!demo.waitFor(DEMO_STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                demo.descendants().forEach(ProcessHandle::destroyForcibly);
                demo.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stopBroker() {
        EmbeddedBroker b = broker;
        if (b == null) {
            return;
        }
        Thread stopper = new Thread(() -> {
            try {
                b.stop();
            } catch (Exception e) {
                err.println("dqlog up: the broker did not stop cleanly: " + describe(e));
            }
        }, "dqlog-up-broker-stop");
        stopper.setDaemon(true);
        stopper.start();
        try {
            stopper.join(BROKER_STOP_WAIT.toMillis());
            if (stopper.isAlive()) {
                err.println("dqlog up: the broker did not stop within " + BROKER_STOP_WAIT.toSeconds()
                        + " s; leaving it (its store recovers at the next start)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** One line: the exception and its causes, class names and messages. */
    static String describe(Throwable e) {
        StringBuilder text = new StringBuilder();
        int depth = 0;
        for (Throwable t = e; t != null && depth < 5; t = t.getCause() == t ? null : t.getCause(), depth++) {
            text.append(depth == 0 ? "" : " <- ").append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                text.append(": ").append(t.getMessage());
            }
        }
        return text.toString().replace('\n', ' ');
    }
}
