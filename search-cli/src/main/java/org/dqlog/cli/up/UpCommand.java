package org.dqlog.cli.up;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.dqlog.broker.EmbeddedBroker;
import org.dqlog.cli.CliEnvironment;
import org.dqlog.cli.DqlogCommand;
import org.dqlog.cli.VersionProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code dqlog up}: the whole system on this machine for trying it out, in one process (see
 * {@link LocalStack}), with its data under {@code ./dqlog-data}. Runs until Ctrl-C or SIGTERM.
 */
@Command(name = "up", sortOptions = false, usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Run a broker, a collector and a mail sink on this machine, for trying dqlog out.",
        description = {"",
            "Starts an embedded ActiveMQ broker (STOMP on 127.0.0.1:61613), a local SMTP sink that saves every",
            "mail as an .eml file, and a collector that archives and indexes what the broker receives and mails",
            "panics to the sink. Everything is kept under ./dqlog-data of the current folder; running up again",
            "reuses it. Ctrl-C (or SIGTERM) stops the collector, then the broker, then the sink.", ""},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:stopped by Ctrl-C or SIGTERM (the JVM reports 130 or 143)",
            "1:could not start", "2:the broker port or the data folder is in use, or bad usage"})
public final class UpCommand implements Callable<Integer> {

    public static final int EXIT_STOPPED = 0;
    public static final int EXIT_CANNOT_START = 1;
    public static final int EXIT_CONFLICT = 2;
    /** Port of the collector's /health that up tries first (taken: any free port): {@value}. */
    public static final int DEFAULT_HTTP_PORT = 9465;
    /** Set by the ./dqlog launcher to its own path: how the banner names the command, and how --demo starts the demo. */
    public static final String LAUNCHER_VARIABLE = "DQLOG_LAUNCHER";

    @Spec
    CommandSpec spec;

    @ParentCommand
    DqlogCommand parent;

    @Option(names = "--port", paramLabel = "N", description = "STOMP port of the broker (default: ${DEFAULT-VALUE}; 0: any free port).")
    int port = EmbeddedBroker.DEFAULT_PORT;

    @Option(names = "--smtp-port", paramLabel = "N",
            description = "Port of the mail sink (default: ${DEFAULT-VALUE}, or any free port when taken).")
    int smtpPort = MailSink.DEFAULT_PORT;

    @Option(names = "--http-port", paramLabel = "N",
            description = "Port of the collector's /health and /metrics (default: ${DEFAULT-VALUE}, or any free port when taken).")
    int httpPort = DEFAULT_HTTP_PORT;

    @Option(names = "--data", paramLabel = "DIR", description = "Data folder (default: ./dqlog-data).")
    Path data;

    @Option(names = "--demo", description = "Also start the two demo applications (as ./dqlog demo does).")
    boolean demo;

    @Option(names = "--exit-on-stdin-eof", hidden = true, description = "Stop when standard input ends (tests).")
    boolean exitOnStdinEof;

    @Override
    public Integer call() {
        CliEnvironment env = parent != null ? parent.environment() : CliEnvironment.system();
        PrintWriter out = spec.commandLine().getOut();
        PrintStream err = new PrintStream(env.rawErr(), true, StandardCharsets.UTF_8);
        if (port < 0 || port > 65535 || smtpPort < 0 || smtpPort > 65535 || httpPort < 0 || httpPort > 65535) {
            err.println("dqlog up: ports are 0..65535");
            return EXIT_CONFLICT;
        }
        Path workDir = env.workingDirectory();
        Path dataDir = workDir.resolve(data != null ? data : Path.of("dqlog-data")).toAbsolutePath().normalize();
        String launcher = env.variable(LAUNCHER_VARIABLE);
        List<String> demoCommand = null;
        if (demo) {
            if (launcher == null) {
                err.println("dqlog up: --demo needs the ./dqlog launcher of the source folder (the demo apps are not"
                        + " in this jar); starting without them");
            } else {
                demoCommand = List.of(launcher, "demo");
            }
        }
        UpSettings settings = new UpSettings(dataDir, port, smtpPort, httpPort, demoCommand, exitOnStdinEof);

        LocalStack stack;
        try {
            stack = LocalStack.start(settings, err);
        } catch (UpException e) {
            err.println("dqlog up: " + e.getMessage());
            return e.exitCode();
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            err.println("dqlog up: stopping (collector, broker, mail sink) ...");
            stack.close();
            err.println("dqlog up: stopped; the data stays in " + dataDir);
        }, "dqlog-up-shutdown"));
        watchBroker(stack, err);
        if (exitOnStdinEof) {
            watchStdinForEof();
        }
        out.println(Banner.readyLine(stack));
        out.print(Banner.forPeople(stack, commandName(launcher, workDir), launcher != null, workDir));
        out.flush();
        try {
            stack.awaitClosed();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stack.close();
        }
        return EXIT_STOPPED;
    }

    /** How the user runs dqlog from here: {@code ./dqlog} when the launcher is in this folder. */
    static String commandName(String launcher, Path workDir) {
        if (launcher != null) {
            Path l = Path.of(launcher).toAbsolutePath().normalize();
            return l.getParent() != null && l.getParent().equals(workDir.toAbsolutePath().normalize())
                    ? "./" + l.getFileName() : l.toString();
        }
        String jar = jarPath();
        return jar != null ? "java -jar " + jar : "dqlog";
    }

    private static String jarPath() {
        try {
            Path p = Path.of(UpCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(p) && p.toString().endsWith(".jar") ? p.toString() : null;
        } catch (Exception e) {
            return null;
        }
    }

    /** A broker that stops by itself (its store failed) leaves nothing worth running: stop everything and say so. */
    private static void watchBroker(LocalStack stack, PrintStream err) {
        Thread watcher = new Thread(() -> {
            stack.awaitBrokerStopped();
            if (!stack.isClosing()) {
                err.println("dqlog up: the broker stopped unexpectedly; stopping everything");
                System.exit(EXIT_CANNOT_START);
            }
        }, "dqlog-up-broker-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    /** The parent (a test JVM) holds the other end of our stdin: EOF means it is gone. */
    private static void watchStdinForEof() {
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
            System.exit(EXIT_STOPPED);
        }, "dqlog-up-stdin-eof-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }
}
