package org.dqlog.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.dqlog.archive.IndexBackend;

/**
 * What the commands read from their surroundings: environment variables, the working directory,
 * the raw output streams ({@code dqlog run} passes its child's bytes through unchanged) and
 * whether stdout and stderr are terminals (colour, progress bar). Tests build their own.
 *
 * @param variables         environment variables ({@code DQLOG_DATA}, {@code DQLOG_APP}, ...)
 * @param workingDirectory  where {@code ./dqlog-data} is looked for
 * @param rawOut            the process's stdout as bytes
 * @param rawErr            the process's stderr as bytes
 * @param stdoutIsTerminal  true when stdout is a terminal ({@code --color=auto})
 * @param stderrIsTerminal  true when stderr is a terminal (progress bar of {@code reindex})
 * @param indexBackend      where {@code search}, {@code tail} and {@code reindex} find the index
 */
public record CliEnvironment(Map<String, String> variables, Path workingDirectory, OutputStream rawOut,
                             OutputStream rawErr, boolean stdoutIsTerminal, boolean stderrIsTerminal,
                             IndexBackend indexBackend) {

    public CliEnvironment {
        variables = Map.copyOf(variables);
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        Objects.requireNonNull(rawOut, "rawOut");
        Objects.requireNonNull(rawErr, "rawErr");
        Objects.requireNonNull(indexBackend, "indexBackend");
    }

    /** With the local index of each data directory. */
    public CliEnvironment(Map<String, String> variables, Path workingDirectory, OutputStream rawOut,
                          OutputStream rawErr, boolean stdoutIsTerminal, boolean stderrIsTerminal) {
        this(variables, workingDirectory, rawOut, rawErr, stdoutIsTerminal, stderrIsTerminal, IndexBackend.local());
    }

    /** This process's environment. */
    public static CliEnvironment system() {
        // Java 17: a console exists only when stdin and stdout are terminals, close enough for colour
        boolean terminal = System.console() != null;
        // stdout as a plain file stream, not System.out: a PrintStream hides a closed pipe, and
        // 'dqlog search | head' must notice it and stop searching
        return new CliEnvironment(System.getenv(), Path.of("").toAbsolutePath(),
                new FileOutputStream(FileDescriptor.out), System.err, terminal, terminal);
    }

    /** An environment variable, or null when unset or blank. */
    public String variable(String name) {
        String v = variables.get(name);
        return v == null || v.isBlank() ? null : v;
    }
}
