package org.dqlog.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.dqlog.archive.IndexBackend;
import picocli.CommandLine;

/** Runs {@code dqlog} in this JVM through picocli's execute, with captured output. */
final class Cli {

    /** What a run printed and returned; {@code rawOut}/{@code rawErr} hold what {@code run} passed through. */
    record Result(int exitCode, String out, String err, String rawOut, String rawErr) {
        List<String> lines() {
            return out.isEmpty() ? List.of() : Arrays.asList(out.split("\n", -1)).subList(0, out.split("\n", -1).length - 1);
        }
    }

    private final Map<String, String> env;
    private final Path cwd;
    private final IndexBackend backend;

    Cli(Map<String, String> env, Path cwd) {
        this(env, cwd, IndexBackend.local());
    }

    Cli(Map<String, String> env, Path cwd, IndexBackend backend) {
        this.env = env;
        this.cwd = cwd;
        this.backend = backend;
    }

    Result run(String... args) {
        ByteArrayOutputStream rawOut = new ByteArrayOutputStream();
        ByteArrayOutputStream rawErr = new ByteArrayOutputStream();
        CommandLine cmd = DqlogCommand.commandLine(new CliEnvironment(env, cwd, rawOut, rawErr, false, false, backend));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int code = cmd.execute(args);
        return new Result(code, out.toString(), err.toString(), rawOut.toString(StandardCharsets.UTF_8),
                rawErr.toString(StandardCharsets.UTF_8));
    }

    /** Runs with a writer the caller reads while the command runs (tail -f). */
    int run(PrintWriter out, StringWriter err, String... args) {
        CommandLine cmd = DqlogCommand.commandLine(new CliEnvironment(env, cwd, new ByteArrayOutputStream(),
                new ByteArrayOutputStream(), false, false, backend));
        cmd.setOut(out);
        cmd.setErr(new PrintWriter(err));
        return cmd.execute(args);
    }
}
