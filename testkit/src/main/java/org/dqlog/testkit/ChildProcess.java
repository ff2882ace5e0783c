package org.dqlog.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A child process for tests: a JVM running a main class, or any command. Its stdout and stderr go
 * to a log file (all of it) and to an in-memory history (the last {@value #MAX_LINES_KEPT} lines)
 * that {@link #awaitLine} searches and failure messages quote. Its stdin stays an open pipe, so a
 * child that watches stdin for EOF dies with the test JVM. Every child registers with
 * {@link ProcessReaper}, which kills it after the test that started it.
 *
 * <p>Thread-safe: signals and waits may come from any thread.
 */
public final class ChildProcess implements AutoCloseable {

    /** Small heap, quick start-up, one GC thread: many children share 2 cores. */
    public static final List<String> DEFAULT_JVM_OPTIONS =
            List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    public static final Duration DEFAULT_TERMINATE_WAIT = Duration.ofSeconds(15);
    public static final Duration DEFAULT_KILL_WAIT = Duration.ofSeconds(10);
    public static final int MAX_LINES_KEPT = 10_000;
    private static final Duration OUTPUT_TO_EXIT_WAIT = Duration.ofSeconds(5);
    /** Lines of output quoted in failure messages. */
    public static final int FAILURE_TAIL_LINES = 40;
    /** Linux caps one argument at 128 KiB; longer class paths go through a java @argfile. */
    private static final int MAX_INLINE_CLASSPATH_CHARS = 64 * 1024;

    private final String name;
    private final long sequence;
    private final Process process;
    private final Path logFile;
    private final Writer log;
    private final Deque<Line> history = new ArrayDeque<>();
    private long linesSeen;
    private int openStreams = 2;
    private final Object lock = new Object();

    private ChildProcess(String name, long sequence, Process process, Path logFile, Writer log) {
        this.name = name;
        this.sequence = sequence;
        this.process = process;
        this.logFile = logFile;
        this.log = log;
    }

    /** A JVM (the running one's {@code java}) with {@code mainClass}; the class path defaults to this JVM's. */
    public static Builder java(String mainClass) {
        return new Builder(Objects.requireNonNull(mainClass, "mainClass"), List.of());
    }

    /** Any command, for example the {@code dqlog} launcher script. */
    public static Builder command(String... command) {
        return command(Arrays.asList(command));
    }

    /** Any command, for example the {@code dqlog} launcher script. */
    public static Builder command(List<String> command) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        return new Builder(null, command);
    }

    /** The {@code java} executable of the running JVM. */
    public static String javaExecutable() {
        Path fromHome = Path.of(System.getProperty("java.home"), "bin", "java");
        if (Files.isExecutable(fromHome)) {
            return fromHome.toString();
        }
        return ProcessHandle.current().info().command().orElse("java");
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public Path logFile() {
        return logFile;
    }

    /** Order of start among all children of this JVM; the reaper uses it to tell tests apart. */
    long sequence() {
        return sequence;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Waits until a line of stdout or stderr matches {@code pattern} ({@link Matcher#find()}) and
     * returns that match. Lines printed before the call count too.
     *
     * @throws AssertionError on timeout or when the process ends first, quoting its last output
     */
    public MatchResult awaitLine(Pattern pattern, Duration timeout) {
        return awaitLine(pattern, timeout, 0);
    }

    /**
     * Like {@link #awaitLine(Pattern, Duration)}, counting only lines numbered {@code fromLine}
     * or later (see {@link #lineCount()}), to wait for something new.
     */
    public MatchResult awaitLine(Pattern pattern, Duration timeout, long fromLine) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            long checkedUpTo = fromLine;
            while (true) {
                for (Line line : history) {
                    if (line.number >= checkedUpTo) {
                        Matcher matcher = pattern.matcher(line.text);
                        if (matcher.find()) {
                            return matcher.toMatchResult();
                        }
                    }
                }
                checkedUpTo = Math.max(checkedUpTo, linesSeen);
                if (openStreams == 0) {
                    // Output ends a moment before the exit status is collectable; the code is worth the wait.
                    waitFor(OUTPUT_TO_EXIT_WAIT);
                    throw new AssertionError(describe("ended (exit code " + exitCodeOrUnknown()
                            + ") without printing a line matching /" + pattern + "/"));
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(describe("printed no line matching /" + pattern + "/ within " + timeout));
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(describe("interrupted while waiting for /" + pattern + "/"), e);
                }
            }
        }
    }

    /** Number of output lines seen so far (stdout and stderr together); a mark for {@link #awaitLine(Pattern, Duration, long)}. */
    public long lineCount() {
        synchronized (lock) {
            return linesSeen;
        }
    }

    /** The kept output lines (stdout and stderr interleaved as they arrived). */
    public List<String> lines() {
        synchronized (lock) {
            return history.stream().map(line -> line.text).collect(Collectors.toList());
        }
    }

    /** The kept stdout lines only. */
    public List<String> stdoutLines() {
        return linesOf(false);
    }

    /** The kept stderr lines only. */
    public List<String> stderrLines() {
        return linesOf(true);
    }

    private List<String> linesOf(boolean stderr) {
        synchronized (lock) {
            return history.stream().filter(line -> line.stderr == stderr).map(line -> line.text).collect(Collectors.toList());
        }
    }

    /** The last {@code count} output lines, one per line of text, for failure messages. */
    public String tail(int count) {
        synchronized (lock) {
            int skip = Math.max(0, history.size() - count);
            return history.stream().skip(skip).map(line -> (line.stderr ? "[err] " : "") + line.text)
                    .collect(Collectors.joining("\n"));
        }
    }

    /** Waits until stdout and stderr are closed (the child exited and its output is all read), so {@link #lines()} is complete. */
    public boolean awaitOutputClosed(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (openStreams > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    /** The child's stdin; closing it is EOF for the child. */
    public OutputStream stdin() {
        return process.getOutputStream();
    }

    /** Writes {@code text} (UTF-8) to the child's stdin and flushes. */
    public void writeStdin(String text) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write(text.getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** Closes the child's stdin: a child started with {@code --exit-on-stdin-eof} then leaves. */
    public void closeStdin() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // the child is gone already: its stdin is as closed as it gets
        }
    }

    /** SIGKILL to the child and its descendants, then waits (bounded) until it is gone. */
    public void kill() {
        killNow();
        if (!waitFor(DEFAULT_KILL_WAIT)) {
            throw new AssertionError(describe("still alive " + DEFAULT_KILL_WAIT + " after SIGKILL"));
        }
    }

    /** SIGCONT (so nothing stays frozen) and SIGKILL to the child and its descendants, without waiting; never throws. */
    void killNow() {
        List<ProcessHandle> family = new ArrayList<>();
        try {
            process.descendants().forEach(family::add);
        } catch (RuntimeException e) {
            // the process table changed under us; kill what we can
        }
        family.add(process.toHandle());
        for (ProcessHandle member : family) {
            try {
                if (member.isAlive()) {
                    new ProcessBuilder("kill", "-CONT", Long.toString(member.pid()))
                            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                }
            } catch (IOException | RuntimeException e) {
                // SIGKILL below works on a stopped process too; CONT is only a courtesy
            }
            member.destroyForcibly();
        }
    }

    /** SIGTERM, then waits up to {@link #DEFAULT_TERMINATE_WAIT}; true if it exited. */
    public boolean terminate() {
        return terminate(DEFAULT_TERMINATE_WAIT);
    }

    /** SIGTERM, then waits up to {@code timeout}; true if it exited. A stopped child is continued first, or it could not act on the signal. */
    public boolean terminate(Duration timeout) {
        signal("TERM");
        signal("CONT");
        return waitFor(timeout);
    }

    /** SIGSTOP: the child freezes, its sockets stay open (a "silent" peer). */
    public void stop() {
        signal("STOP");
    }

    /** SIGCONT after {@link #stop()}. */
    public void resume() {
        signal("CONT");
    }

    /** Sends {@code SIG<name>} (e.g. "STOP", "CONT", "TERM", "HUP") with {@code kill}; no-op when the child has exited. */
    public void signal(String signalName) {
        if (!process.isAlive()) {
            return;
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + signalName, Long.toString(process.pid()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
                throw new AssertionError("kill -" + signalName + " " + process.pid() + " did not finish");
            }
        } catch (IOException e) {
            throw new AssertionError("could not run kill -" + signalName + " " + process.pid(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while sending SIG" + signalName, e);
        }
    }

    /** Waits up to {@code timeout} for the child to exit; true if it has. */
    public boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /**
     * The exit code (143 after SIGTERM, 137 after SIGKILL for a JVM child's signal exit).
     *
     * @throws IllegalStateException while the child is alive
     */
    public int exitCode() {
        if (process.isAlive()) {
            throw new IllegalStateException(name + " (pid " + pid() + ") is still running");
        }
        return process.exitValue();
    }

    /** Exit code if exited, else empty. */
    public Optional<Integer> exitCodeIfExited() {
        return process.isAlive() ? Optional.empty() : Optional.of(process.exitValue());
    }

    /** Continues (if stopped) and kills the child and its descendants; idempotent. */
    @Override
    public void close() {
        if (process.isAlive()) {
            resume();
            kill();
        }
    }

    /** A failure message: what happened, to which child, its log file and last output. */
    public String describe(String what) {
        return name + " (pid " + pid() + ") " + what + "; log " + logFile + "; last output:\n" + tail(FAILURE_TAIL_LINES);
    }

    private String exitCodeOrUnknown() {
        return process.isAlive() ? "unknown, still running" : Integer.toString(process.exitValue());
    }

    @Override
    public String toString() {
        return "ChildProcess[" + name + ", pid " + pid() + (process.isAlive() ? ", alive" : ", exited") + "]";
    }

    private void pump(InputStream stream, boolean stderr) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String text;
            while ((text = reader.readLine()) != null) {
                synchronized (lock) {
                    history.addLast(new Line(linesSeen++, stderr, text));
                    if (history.size() > MAX_LINES_KEPT) {
                        history.removeFirst();
                    }
                    writeLog(stderr ? "[err] " + text : text);
                    lock.notifyAll();
                }
            }
        } catch (IOException e) {
            // the stream broke because the child died: nothing more to read
        } finally {
            synchronized (lock) {
                openStreams--;
                if (openStreams == 0) {
                    closeLog();
                }
                lock.notifyAll();
            }
        }
    }

    private void writeLog(String text) {
        try {
            log.write(text);
            log.write('\n');
            log.flush();
        } catch (IOException e) {
            // a test log that cannot be written must not fail the test; the in-memory history remains
        }
    }

    private void closeLog() {
        try {
            log.close();
        } catch (IOException e) {
            // see writeLog
        }
    }

    private static final class Line {
        final long number;
        final boolean stderr;
        final String text;

        Line(long number, boolean stderr, String text) {
            this.number = number;
            this.stderr = stderr;
            this.text = text;
        }
    }

    /** Describes a child before it starts; {@link #start()} may be called more than once for identical children. */
    public static final class Builder {
        private final String mainClass;
        private final List<String> command;
        private final List<String> args = new ArrayList<>();
        private List<String> jvmOptions = new ArrayList<>(DEFAULT_JVM_OPTIONS);
        private String classpath;
        private Predicate<String> classpathFilter = entry -> true;
        private final Map<String, String> environment = new LinkedHashMap<>();
        private final List<String> removedEnvironment = new ArrayList<>();
        private Path workingDir;
        private Path logDir;
        private String name;

        private Builder(String mainClass, List<String> command) {
            this.mainClass = mainClass;
            this.command = List.copyOf(command);
        }

        /** Arguments after the main class (or after the command). */
        public Builder args(String... values) {
            args.addAll(Arrays.asList(values));
            return this;
        }

        public Builder args(List<String> values) {
            args.addAll(values);
            return this;
        }

        /** Replaces the JVM options (default {@link #DEFAULT_JVM_OPTIONS}). */
        public Builder jvmOptions(List<String> options) {
            this.jvmOptions = new ArrayList<>(options);
            return this;
        }

        /** Adds JVM options after the defaults, e.g. {@code -Ddqlog.brokers=...}. */
        public Builder addJvmOptions(String... options) {
            jvmOptions.addAll(Arrays.asList(options));
            return this;
        }

        /** A class path instead of this JVM's {@code java.class.path}. */
        public Builder classpath(String path) {
            this.classpath = path;
            return this;
        }

        /** A class path of these entries instead of this JVM's. */
        public Builder classpath(List<Path> entries) {
            this.classpath = entries.stream().map(Path::toString).collect(Collectors.joining(java.io.File.pathSeparator));
            return this;
        }

        /** Keeps only class path entries the filter accepts (e.g. drop an appender jar to run an app without it). */
        public Builder classpathFilter(Predicate<String> filter) {
            this.classpathFilter = filter;
            return this;
        }

        public Builder env(String key, String value) {
            environment.put(key, value);
            removedEnvironment.remove(key);
            return this;
        }

        /** Removes a variable inherited from the test JVM (e.g. {@code DQLOG_BROKERS}). */
        public Builder removeEnv(String key) {
            environment.remove(key);
            removedEnvironment.add(key);
            return this;
        }

        public Builder workingDir(Path dir) {
            this.workingDir = dir;
            return this;
        }

        /** Folder of the log file; default {@link ChildLogs#defaultDir()} ({@code <build dir>/child-logs}). */
        public Builder logDir(Path dir) {
            this.logDir = dir;
            return this;
        }

        /** Name in logs and failure messages; default the main class's simple name or the command's file name. */
        public Builder name(String value) {
            this.name = value;
            return this;
        }

        /** Starts the child and registers it with {@link ProcessReaper}. */
        public ChildProcess start() throws IOException {
            long sequence = ProcessReaper.nextSequence();
            String childName = name != null ? name : defaultName();
            Path dir = logDir != null ? logDir : ChildLogs.defaultDir();
            Files.createDirectories(dir);
            Path logFile = dir.resolve(sanitize(childName) + "-" + sequence + ".log");

            List<String> commandLine = mainClass != null ? javaCommandLine(dir, childName, sequence) : new ArrayList<>(command);
            commandLine.addAll(args);

            ProcessBuilder builder = new ProcessBuilder(commandLine);
            Map<String, String> env = builder.environment();
            removedEnvironment.forEach(env::remove);
            env.putAll(environment);
            if (workingDir != null) {
                builder.directory(workingDir.toFile());
            }
            builder.redirectInput(ProcessBuilder.Redirect.PIPE);

            Writer log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8);
            log.write("# " + String.join(" ", commandLine) + "\n");
            log.flush();
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                log.close();
                throw e;
            }
            ChildProcess child = new ChildProcess(childName, sequence, process, logFile, log);
            ProcessReaper.register(child);
            startPump(child, process.getInputStream(), false);
            startPump(child, process.getErrorStream(), true);
            return child;
        }

        private static void startPump(ChildProcess child, InputStream stream, boolean stderr) {
            Thread pump = new Thread(() -> child.pump(stream, stderr),
                    "child-" + child.name + "-" + child.pid() + (stderr ? "-stderr" : "-stdout"));
            pump.setDaemon(true);
            pump.start();
        }

        private List<String> javaCommandLine(Path dir, String childName, long sequence) throws IOException {
            List<String> line = new ArrayList<>();
            line.add(javaExecutable());
            line.addAll(jvmOptions);
            String path = Arrays.stream((classpath != null ? classpath : System.getProperty("java.class.path"))
                            .split(java.io.File.pathSeparator))
                    .filter(entry -> !entry.isEmpty())
                    .filter(classpathFilter)
                    .collect(Collectors.joining(java.io.File.pathSeparator));
            if (path.length() > MAX_INLINE_CLASSPATH_CHARS) {
                Path argFile = dir.resolve(sanitize(childName) + "-" + sequence + ".classpath");
                Files.writeString(argFile, "-cp\n\"" + path.replace("\\", "\\\\") + "\"\n");
                line.add("@" + argFile);
            } else {
                line.add("-cp");
                line.add(path);
            }
            line.add(mainClass);
            return line;
        }

        private String defaultName() {
            if (mainClass != null) {
                return mainClass.substring(mainClass.lastIndexOf('.') + 1);
            }
            return Path.of(command.get(0)).getFileName().toString();
        }

        private static String sanitize(String text) {
            return text.replaceAll("[^A-Za-z0-9._-]", "_");
        }
    }
}
