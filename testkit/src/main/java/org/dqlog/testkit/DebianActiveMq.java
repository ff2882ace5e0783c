package org.dqlog.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;

/**
 * A broker of Debian's {@code activemq} package (ActiveMQ 5.17, in {@value #HOME}) running a given
 * configuration directory, started the way Debian's {@code /usr/bin/activemq} starts an instance:
 * the same JVM options, {@code activemq.conf} set to the directory (and on the class path),
 * {@code activemq.data} to a data directory, and {@code start xbean:file:DIR/activemq.xml}.
 *
 * <p>Debian's broker logs through Log4j 1.2, which finds no configuration in a stock instance
 * directory and then says nothing; this class adds a {@value #LOG_CONFIG} that prints INFO on the
 * console, so that the test sees the port each connector listens on and, when the broker does not
 * come up, why.
 *
 * <p>Thread-safe: immutable after {@link #start}; the process is killed by {@link #close()} or by
 * {@link ProcessReaper}.
 */
public final class DebianActiveMq implements AutoCloseable {

    /** Where the package installs ActiveMQ. */
    public static final Path HOME = Path.of("/usr/share/activemq");
    public static final String LOG_CONFIG = "log4j.properties";
    /** ActiveMQ's line for each transport connector, with the port it is bound to. */
    static final Pattern LISTENING = Pattern.compile("Listening for connections at: ([a-z+]+)://[^:/]+:(\\d+)");
    /** The options of Debian's start script for Java 9 and later (without them 5.17 fails on Java 17). */
    private static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "--add-reads=java.xml=java.logging",
            "--add-opens", "java.base/java.security=ALL-UNNAMED", "--add-opens", "java.base/java.net=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/java.util=ALL-UNNAMED",
            "--add-opens", "java.naming/javax.naming.spi=ALL-UNNAMED",
            "--add-opens", "java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED",
            "--add-opens", "java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens", "java.base/java.util.concurrent.atomic=ALL-UNNAMED");

    private final ChildProcess process;
    private final int port;

    private DebianActiveMq(ChildProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /** True when the package is installed ({@code apt-get install activemq}). */
    public static boolean installed() {
        return Files.isRegularFile(HOME.resolve("bin").resolve("activemq.jar"));
    }

    /**
     * Starts {@code confDir/activemq.xml} with its data in {@code dataDir} and waits until its
     * first transport connector listens.
     */
    public static DebianActiveMq start(Path confDir, Path dataDir, Duration timeout) throws IOException {
        Path conf = confDir.toAbsolutePath().normalize();
        Path data = dataDir.toAbsolutePath().normalize();
        Files.createDirectories(data);
        Files.writeString(conf.resolve(LOG_CONFIG), "log4j.rootLogger=INFO, stdout\n"
                + "log4j.appender.stdout=org.apache.log4j.ConsoleAppender\n"
                + "log4j.appender.stdout.layout=org.apache.log4j.PatternLayout\n"
                + "log4j.appender.stdout.layout.ConversionPattern=%-5p | %m | %c%n\n");
        List<String> command = new ArrayList<>();
        command.add(ChildProcess.javaExecutable());
        command.addAll(JVM_OPTIONS);
        command.addAll(List.of("-Dactivemq.classpath=" + conf, "-Dactivemq.home=" + HOME,
                "-Dactivemq.base=" + data.getParent(), "-Dactivemq.conf=" + conf, "-Dactivemq.data=" + data,
                "-jar", HOME.resolve("bin").resolve("activemq.jar").toString(),
                "start", "xbean:file:" + conf.resolve("activemq.xml")));
        ChildProcess child = ChildProcess.command(command).name("activemq-5.17").workingDir(data).start();
        try {
            MatchResult listening = child.awaitLine(LISTENING, timeout);
            return new DebianActiveMq(child, Integer.parseInt(listening.group(2)));
        } catch (AssertionError failure) {
            child.close();
            throw failure;
        }
    }

    /** The port of the first connector that listens. */
    public int port() {
        return port;
    }

    public ChildProcess process() {
        return process;
    }

    @Override
    public void close() {
        process.close();
    }

    @Override
    public String toString() {
        return "DebianActiveMq[port " + port + ", " + process + "]";
    }
}
