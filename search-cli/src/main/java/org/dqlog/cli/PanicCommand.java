package org.dqlog.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.dqlog.cli.run.PanicSender;
import org.dqlog.core.LogRecord;
import org.dqlog.core.config.ClientSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code dqlog panic MESSAGE}: a panic from a shell script, as the Java and Python APIs send it. */
@Command(name = "panic", sortOptions = false, usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Send a panic (wakes the on-call expert) from a shell script.",
        description = {"",
            "Sends MESSAGE as a panic to one of the brokers in $DQLOG_BROKERS (or -Ddqlog.brokers) and",
            "waits until the broker stored it. Login from $DQLOG_LOGIN, passcode from $DQLOG_PASSCODE_FILE or",
            "$DQLOG_PASSCODE. The panic names this host, the application, the calling script (the parent",
            "process's command line unless --command is given), the working directory and the time.",
            "Prints nothing on success.", ""},
        footer = {"", "Examples:",
            "  dqlog panic \"disk /data full on $(hostname)\"",
            "  df /data | awk 'NR==2 && $5+0 > 95 {exit 1}' || dqlog panic --app dq-cron \"/data over 95%\""},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:a broker stored the panic", "1:no broker stored it (the reason is on stderr)",
            "2:bad usage"})
public final class PanicCommand implements Callable<Integer> {

    /** Application name when neither --app nor DQLOG_APP gives one: {@value}. */
    public static final String DEFAULT_APP = "shell";

    @Spec
    CommandSpec spec;

    @ParentCommand
    DqlogCommand parent;

    @Parameters(arity = "1..*", paramLabel = "MESSAGE", description = "What went wrong (several words are joined by spaces).")
    List<String> message = new ArrayList<>();

    @Option(names = "--app", paramLabel = "NAME", description = "Application name (default: $DQLOG_APP, else shell).")
    String app;

    @Option(names = "--command", paramLabel = "CMD",
            description = "The script that panics (default: the parent process's command line).")
    String command;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "20s",
            description = "Try the brokers for at most DURATION: 500ms, 20s, 2m (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Override
    public Integer call() {
        CliEnvironment env = parent.environment();
        ClientSettings settings = BrokerSettings.of(env).withExplicit(ClientSettings.APP, app);
        BrokerSettings.warn(settings, spec.commandLine().getErr());
        Optional<ProcessHandle> caller = ProcessHandle.current().parent();
        String cmd = command;
        List<String> arguments = List.of();
        if (cmd == null) {
            cmd = caller.flatMap(p -> p.info().command()).orElse(null);
            arguments = caller.flatMap(p -> p.info().arguments()).map(List::of).orElse(List.of());
        }
        String appName = settings.app() != null ? settings.app() : DEFAULT_APP;
        PanicSender.Details details = new PanicSender.Details(String.join(" ", message), appName, cmd, arguments,
                caller.map(ProcessHandle::pid).orElse(null), env.workingDirectory().toString(), Map.of(), List.of());
        Duration limit = PanicSender.parseTimeout(timeout);
        LogRecord panic = PanicSender.record(details, settings);
        try {
            PanicSender.send(panic, settings, limit);
            return ExitCodes.OK;
        } catch (PanicSender.PanicNotSentException e) {
            spec.commandLine().getErr().println("dqlog: panic not sent: " + ErrorHandlers.oneLine(e.getMessage()));
            spec.commandLine().getErr().flush();
            return ExitCodes.NO_MATCH;
        }
    }
}
