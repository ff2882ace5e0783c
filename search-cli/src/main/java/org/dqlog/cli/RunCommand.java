package org.dqlog.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.dqlog.cli.run.CommandRunner;
import org.dqlog.cli.run.OutputTail;
import org.dqlog.cli.run.PanicSender;
import org.dqlog.core.LogRecord;
import org.dqlog.core.config.ClientSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code dqlog run -- CMD ARGS...}: the panic wrapper for cron jobs and scripts. */
@Command(name = "run", sortOptions = false, usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Run a command; if it fails, send a panic with its exit status and the end of its output.",
        description = {"",
            "CMD runs with stdin, stdout and stderr passed through and dqlog exits with its exit status",
            "(128+N when signal N killed it, as shells report). When CMD fails (non-zero status, killed by a",
            "signal, or cannot be started: 127) a panic goes to the brokers of $DQLOG_BROKERS with the",
            "command line and the exit status, and the last " + OutputTail.DEFAULT_MAX_LINES + " lines (at most 64 KiB)",
            "of its output as traceback. If no broker stores it, dqlog says so on stderr and still exits with CMD's status.",
            "Put -- before CMD so that its options are not read as dqlog's.", ""},
        footer = {"", "Examples:",
            "  dqlog run -- /opt/dq/bin/nightly-merge.sh --run 456789",
            "  0 3 * * *  DQLOG_BROKERS=tcp://mq1:61613,tcp://mq2:61613 dqlog run --app dq-cron -- ./cleanup.py"},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"N:CMD's exit status (128+signal when killed)", "127:CMD could not be started",
            "2:bad usage (no CMD)"})
public final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ParentCommand
    DqlogCommand parent;

    @Option(names = "--app", paramLabel = "NAME",
            description = "Application name in the panic (default: $DQLOG_APP, else CMD's file name).")
    String app;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "20s",
            description = "Try the brokers for at most DURATION when sending the panic (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Parameters(arity = "1..*", paramLabel = "CMD", description = "The command and its arguments.")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        CliEnvironment env = parent.environment();
        // read before CMD runs, so that a bad setting is reported before CMD's side effects
        ClientSettings settings = BrokerSettings.of(env).withExplicit(ClientSettings.APP, app);
        BrokerSettings.warn(settings, spec.commandLine().getErr());
        Duration limit = PanicSender.parseTimeout(timeout);
        OutputTail tail = new OutputTail();
        CommandRunner runner = new CommandRunner(env.rawOut(), env.rawErr(), tail);
        int status;
        String startFailure = null;
        try {
            status = runner.run(command, env.workingDirectory());
        } catch (IOException e) {
            status = CommandRunner.CANNOT_RUN;
            startFailure = ErrorHandlers.oneLine(e.getMessage());
            spec.commandLine().getErr().println("dqlog: cannot run " + command.get(0) + ": " + startFailure);
            spec.commandLine().getErr().flush();
        }
        if (status != 0) {
            sendPanic(env, settings, status, startFailure, tail, limit);
        }
        return status;
    }

    private void sendPanic(CliEnvironment env, ClientSettings settings, int status, String startFailure,
            OutputTail tail, Duration limit) {
        String appName = settings.app() != null ? settings.app() : Path.of(command.get(0)).getFileName().toString();
        String line = ShellWords.join(settings.redaction().arguments(command));
        String message = startFailure != null ? "cannot run: " + line + ": " + startFailure
                : "command failed with " + describe(status) + ": " + line;
        // the output goes where a Python panic has its traceback: the mail shows it, the index searches it
        List<String> traceback = new ArrayList<>();
        List<String> lines = tail.lines();
        if (tail.truncated()) {
            traceback.add("[last " + lines.size() + " lines of output]\n");
        }
        for (String l : lines) {
            traceback.add(l + "\n");
        }
        Map<String, String> mdc = new LinkedHashMap<>();
        mdc.put("exitStatus", Integer.toString(status));
        PanicSender.Details details = new PanicSender.Details(message, appName, command.get(0),
                command.subList(1, command.size()), ProcessHandle.current().pid(), env.workingDirectory().toString(),
                mdc, traceback);
        LogRecord panic = PanicSender.record(details, settings);
        try {
            PanicSender.send(panic, settings, limit);
        } catch (PanicSender.PanicNotSentException e) {
            spec.commandLine().getErr().println("dqlog: " + command.get(0) + " failed (" + describe(status)
                    + ") but the panic was not sent: " + ErrorHandlers.oneLine(e.getMessage()));
            spec.commandLine().getErr().flush();
        }
    }

    /** "exit status 3", or "exit status 137 (killed by signal 9?)": Java cannot tell 137 from SIGKILL. */
    static String describe(int status) {
        if (status > 128 && status < 128 + 65) {
            return "exit status " + status + " (killed by signal " + (status - 128) + "?)";
        }
        return "exit status " + status;
    }
}
