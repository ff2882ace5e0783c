package org.dqlog.core;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Facts about the current process that go into its records and panics: pid, short host name,
 * command line, working directory, a default application name.
 *
 * <p>Thread-safe: the host name is looked up once and cached; everything else is read on demand.
 */
public final class ProcessInfo {

    /** How long the last-resort DNS look-up of the host name may take. */
    public static final Duration DEFAULT_DNS_TIMEOUT = Duration.ofSeconds(2);
    /** Application name when nothing better is known. */
    public static final String DEFAULT_APP = "java";

    private static final Path KERNEL_HOSTNAME = Paths.get("/proc/sys/kernel/hostname");

    private ProcessInfo() { }

    public static long pid() {
        return ProcessHandle.current().pid();
    }

    /**
     * This machine's short host name, lower case ({@code lxplus901}, not {@code
     * lxplus901.cern.ch}), or {@value WireMessages#UNKNOWN_HOST}. Looked up once.
     */
    public static String hostName() {
        return HostName.VALUE;
    }

    /** Lazily, so that a process that never asks never waits for DNS. */
    private static final class HostName {
        static final String VALUE = hostName(System.getenv(), KERNEL_HOSTNAME,
                () -> InetAddress.getLocalHost().getHostName(), DEFAULT_DNS_TIMEOUT);
    }

    /**
     * The host name from, in order: the {@code HOSTNAME} environment variable, the kernel's
     * {@code /proc/sys/kernel/hostname}, a DNS look-up bounded by {@code dnsTimeout} (it can hang
     * for long on a badly configured resolver), else {@value WireMessages#UNKNOWN_HOST}.
     */
    static String hostName(Map<String, String> env, Path kernelFile, Callable<String> dnsLookUp,
            Duration dnsTimeout) {
        String name = shortName(env.get("HOSTNAME"));
        if (name == null) {
            name = shortName(readFirstLine(kernelFile));
        }
        if (name == null) {
            name = shortName(lookUp(dnsLookUp, dnsTimeout));
        }
        return name == null ? WireMessages.UNKNOWN_HOST : name;
    }

    /** Up to the first dot, lower case; an IP address as it is; null for nothing usable. */
    static String shortName(String name) {
        if (name == null) {
            return null;
        }
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (n.isEmpty() || n.equals("localhost") || n.equals("(none)")) {
            return null;
        }
        boolean ipAddress = n.indexOf(':') >= 0 || n.matches("[0-9.]+");
        int dot = n.indexOf('.');
        return ipAddress || dot < 0 ? n : dot == 0 ? null : n.substring(0, dot);
    }

    private static String readFirstLine(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return lines.isEmpty() ? null : lines.get(0);
        } catch (IOException | RuntimeException e) {
            return null; // not Linux, or not readable: try the next source
        }
    }

    private static String lookUp(Callable<String> dnsLookUp, Duration timeout) {
        CompletableFuture<String> lookUp = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                lookUp.complete(dnsLookUp.call());
            } catch (Exception e) {
                lookUp.complete(null);
            }
        }, "dqlog-hostname");
        t.setDaemon(true); // a hung resolver must not keep the JVM alive
        t.start();
        try {
            return lookUp.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | TimeoutException e) {
            return null;
        }
    }

    /** The executable of this process ({@code /usr/lib/jvm/.../bin/java}). */
    public static String command() {
        Optional<String> command = ProcessHandle.current().info().command();
        return command.orElse(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    }

    /**
     * The arguments of this process as the operating system knows them (JVM options, class path,
     * main class, program arguments); where the OS does not tell, the main class or jar and the
     * program arguments from {@link #mainCommand()}.
     */
    public static List<String> arguments() {
        Optional<String[]> args = ProcessHandle.current().info().arguments();
        if (args.isPresent()) {
            return Collections.unmodifiableList(Arrays.asList(args.get()));
        }
        String main = mainCommand();
        return main == null ? Collections.emptyList()
                : Collections.unmodifiableList(new ArrayList<>(Arrays.asList(main.trim().split("\\s+"))));
    }

    /** {@link #command()} and {@link #arguments()}, separated by spaces. */
    public static String commandLine() {
        List<String> args = arguments();
        return args.isEmpty() ? command() : command() + " " + String.join(" ", args);
    }

    /**
     * The main class (or jar, or module/class) and program arguments as the launcher saw them
     * ({@code sun.java.command}); null if this JVM does not say. Shorter than {@link #commandLine()}
     * and without the class path, so it is what a panic shows a person.
     */
    public static String mainCommand() {
        String c = System.getProperty("sun.java.command");
        return c == null || c.trim().isEmpty() ? null : c.trim();
    }

    /** The working directory. */
    public static String workingDirectory() {
        return Paths.get("").toAbsolutePath().toString();
    }

    /**
     * An application name for a process that was given none: the jar's name without {@code .jar}
     * ({@code java -jar /opt/dq/dcs-calculator.jar} gives {@code dcs-calculator}), else the main
     * class's full name, else {@value #DEFAULT_APP}. Configuration ({@code dqlog.app}, {@code
     * DQLOG_APP}) wins over this; reading it is the caller's business.
     */
    public static String defaultAppName() {
        return appNameFrom(System.getProperty("sun.java.command"));
    }

    static String appNameFrom(String javaCommand) {
        if (javaCommand == null || javaCommand.trim().isEmpty()) {
            return DEFAULT_APP;
        }
        String main = javaCommand.trim().split("\\s+", 2)[0];
        int slash = Math.max(main.lastIndexOf('/'), main.lastIndexOf('\\'));
        if (main.toLowerCase(Locale.ROOT).endsWith(".jar")) {
            String jar = main.substring(slash + 1, main.length() - ".jar".length());
            return jar.isEmpty() ? DEFAULT_APP : jar;
        }
        String className = main.substring(slash + 1); // module/class launches: the class
        return className.isEmpty() ? DEFAULT_APP : className;
    }
}
