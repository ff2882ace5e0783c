package org.dqlog.cli;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The top command {@code dqlog}. Subcommands reach the {@link CliEnvironment} through
 * {@code @ParentCommand}. Building the command model loads no Lucene class: the subcommand classes
 * hand their work to separate classes, so {@code --help}, {@code panic} and {@code run} start fast.
 */
@Command(name = "dqlog",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Central logging and panic alerts: search and follow the logs of every host, send panics,"
                + " publish and react to progress messages.",
        description = {
            "",
            "Data of search, tail and reindex: --data DIR, else $DQLOG_DATA, else ./dqlog-data when it exists.",
            "Brokers of panic, run, notify, listen and spool drain: $DQLOG_BROKERS (or -Ddqlog.brokers), login from $DQLOG_LOGIN and",
            "$DQLOG_PASSCODE_FILE or $DQLOG_PASSCODE.",
            ""},
        subcommands = {
            SearchCommand.class,
            TailCommand.class,
            ReindexCommand.class,
            PanicCommand.class,
            RunCommand.class,
            NotifyCommand.class,
            ListenCommand.class,
            SpoolCommand.class,
            CompletionCommand.class,
            org.dqlog.cli.up.UpCommand.class,
            org.dqlog.cli.up.CollectorCommand.class,
            CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:success (search, tail: something matched)",
            "1:search, tail: nothing matched; panic, notify: no broker stored it",
            "2:error (bad usage, bad query or time, no index)",
            "N:run: the exit status of the command it ran"},
        footer = {"", "Documentation: docs/cli.md"})
public final class DqlogCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    private final CliEnvironment environment;

    public DqlogCommand() {
        this(CliEnvironment.system());
    }

    public DqlogCommand(CliEnvironment environment) {
        this.environment = environment;
    }

    /** The configured command line: exit codes mapped, errors as one line. */
    public static CommandLine commandLine(CliEnvironment environment) {
        CommandLine cmd = new CommandLine(new DqlogCommand(environment))
                .setExecutionExceptionHandler(ErrorHandlers.execution())
                .setParameterExceptionHandler(ErrorHandlers.parameters())
                .setCaseInsensitiveEnumValuesAllowed(true)
                // UTF-8 whatever the locale: lines must come out as they stand in the files (grep -E equivalence)
                .setOut(new PrintWriter(new BufferedWriter(
                        new OutputStreamWriter(environment.rawOut(), StandardCharsets.UTF_8), 1 << 16), false))
                .setErr(new PrintWriter(new OutputStreamWriter(environment.rawErr(), StandardCharsets.UTF_8), true));
        // everything after CMD belongs to CMD: 'dqlog run ls -la' works without '--' too
        cmd.getSubcommands().get("run").setStopAtPositional(true);
        cmd.getSubcommands().get("listen").setStopAtPositional(true);
        return cmd;
    }

    public CliEnvironment environment() {
        return environment;
    }

    /** {@code dqlog} alone: the usage on stderr, exit 2 (as grep without a pattern). */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.ERROR;
    }
}
