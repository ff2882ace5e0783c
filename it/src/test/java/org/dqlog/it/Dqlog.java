package org.dqlog.it;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.dqlog.cli.CliEnvironment;
import org.dqlog.cli.DqlogCommand;
import picocli.CommandLine;

/** The {@code dqlog} command run in this JVM through picocli's execute, with captured output and no environment. */
final class Dqlog {

    /** What one run printed and returned. */
    record Result(int exitCode, String out, String err) {
        List<String> lines() {
            return out.isEmpty() ? List.of() : Arrays.asList(out.split("\n"));
        }
    }

    private Dqlog() {
    }

    static Result run(Path workingDir, String... args) {
        return run(workingDir, Map.of(), args);
    }

    /** Runs with these environment variables (e.g. {@code DQLOG_BROKERS}) and no others. */
    static Result run(Path workingDir, Map<String, String> env, String... args) {
        CommandLine cmd = DqlogCommand.commandLine(new CliEnvironment(env, workingDir,
                new ByteArrayOutputStream(), new ByteArrayOutputStream(), false, false));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int code = cmd.execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
