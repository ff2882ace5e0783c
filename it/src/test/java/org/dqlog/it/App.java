package org.dqlog.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.dqlog.it.apps.Workload;
import org.dqlog.testkit.ChildProcess;
import org.dqlog.testkit.Waits;

/**
 * An application child JVM ({@link Workload} through a {@link Framework}) and what the test told it:
 * its run name, record count and queues.
 */
final class App {

    static final Duration SENT_WAIT = Waits.CONDITION;
    /** The configured shutdownTimeout (5 s) plus a cold JVM's slack. */
    static final Duration STOP_WAIT = Waits.PROCESS;

    private final Framework framework;
    private final ChildProcess process;
    private final String run;
    private final String appName;
    private final int count;
    private final Path dir;

    private App(Framework framework, ChildProcess process, String run, String appName, int count, Path dir) {
        this.framework = framework;
        this.process = process;
        this.run = run;
        this.appName = appName;
        this.count = count;
        this.dir = dir;
    }

    static Builder builder(Framework framework, Path dir) {
        return new Builder(framework, dir);
    }

    ChildProcess process() {
        return process;
    }

    Framework framework() {
        return framework;
    }

    String run() {
        return run;
    }

    String appName() {
        return appName;
    }

    int count() {
        return count;
    }

    /** The application's own rolling file. */
    Path logFile() {
        return dir.resolve("app.log");
    }

    /** Waits until the application printed {@code sent N}: every logging call returned. */
    App awaitSent() {
        process.awaitLine(Pattern.compile("^" + Workload.SENT_PREFIX + count + "$"), SENT_WAIT);
        return this;
    }

    /** Lets a paused logging thread go on (a no-op for one that has not reached its pause yet: it will not stop). */
    void resume() throws IOException {
        process.writeStdin(Workload.GO + "\n");
    }

    /** Asks the application to shut its framework down, and checks that it exits cleanly in time. */
    void stop() throws IOException {
        stop(STOP_WAIT);
    }

    /** {@link #stop()} for an application whose shutdown window is longer than the usual 5 s. */
    void stop(Duration wait) throws IOException {
        process.writeStdin("stop\n");
        process.awaitLine(Pattern.compile("^" + Workload.STOPPED + "$"), wait);
        assertThat(process.waitFor(STOP_WAIT)).as(process.describe("still running after 'stopped'")).isTrue();
        assertThat(process.exitCode()).as(process.describe("exit code")).isZero();
    }

    /**
     * The framework's usual configuration with {@code from} replaced by {@code to} (which must
     * occur), written to {@code file}: a changed attribute, an extra one, a status listener less.
     */
    static Path configVariant(Framework framework, Path file, String from, String to) throws IOException {
        String xml = java.nio.file.Files.readString(framework.config());
        if (!xml.contains(from)) {
            throw new IllegalArgumentException(framework.config() + " has no " + from);
        }
        java.nio.file.Files.createDirectories(file.toAbsolutePath().getParent());
        return java.nio.file.Files.writeString(file, xml.replace(from, to));
    }

    /** Describes the application to start. */
    static final class Builder {
        private final Framework framework;
        private final Path dir;
        private String brokers;
        private Queues queues;
        private String run = "run";
        private int count = 100;
        private int perSecond;
        private int pauseAt = -1;
        private Path config;
        private final List<String> jvmOptions = new ArrayList<>();

        private Builder(Framework framework, Path dir) {
            this.framework = framework;
            this.dir = dir;
        }

        Builder brokers(String value) {
            this.brokers = value;
            return this;
        }

        Builder queues(Queues value) {
            this.queues = value;
            return this;
        }

        Builder run(String value) {
            this.run = value;
            return this;
        }

        Builder count(int value) {
            this.count = value;
            return this;
        }

        /** Paces the logging thread (0: as fast as it can). */
        Builder perSecond(int value) {
            this.perSecond = value;
            return this;
        }

        /**
         * Stops the logging thread before record {@code seq} until {@link App#resume()}, so that
         * a test breaking something after some records arrived knows that more are still to come.
         */
        Builder pauseAt(int seq) {
            this.pauseAt = seq;
            return this;
        }

        /** Another configuration file instead of the framework's usual one (see {@link #configVariant}). */
        Builder config(Path file) {
            this.config = file;
            return this;
        }

        /** The shared client settings a deployment would set, e.g. {@code -Ddqlog.login=...}. */
        Builder jvmOption(String option) {
            jvmOptions.add(option);
            return this;
        }

        App start() throws IOException {
            String appName = "it-" + framework.name().toLowerCase() + "-" + run;
            ChildProcess.Builder child = ChildProcess.java(framework.mainClass())
                    .name(appName)
                    .classpathFilter(framework.classpathFilter())
                    .addJvmOptions("-Ddqlog.it.dir=" + dir, "-Ddqlog.it.brokers=" + brokers,
                            "-Ddqlog.it.app=" + appName,
                            "-Ddqlog.it.logging=" + queues.logging(), "-Ddqlog.it.panic=" + queues.panic())
                    .addJvmOptions(jvmOptions.toArray(new String[0]))
                    .args("--config", (config != null ? config : framework.config()).toString(), "--run", run,
                            "--count", Integer.toString(count), "--per-second", Integer.toString(perSecond),
                            "--pause-at", Integer.toString(pauseAt));
            // only what the test says: no broker or login from the environment of whoever runs the build
            for (String variable : List.of("DQLOG_BROKERS", "DQLOG_LOGIN", "DQLOG_PASSCODE", "DQLOG_PASSCODE_FILE",
                    "DQLOG_APP")) {
                child.removeEnv(variable);
            }
            return new App(framework, child.start(), run, appName, count, dir);
        }
    }
}
