package org.dqlog.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.dqlog.cli.run.PanicSender;
import org.dqlog.cli.spool.SpoolDrain;
import org.dqlog.cli.spool.SpoolListing;
import org.dqlog.core.Destinations;
import org.dqlog.core.spool.SpoolSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code dqlog spool ls|drain DIR}: what waits in an application's disk spool, and sending it now. */
@Command(name = "spool", sortOptions = false, usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Show what waits in an application's disk spool, or send it now.",
        description = {"",
            "DIR is one spool (the spoolDir of an appender) or a folder of spools such as the default",
            "<tmp>/dqlog-spool-<user>, whose spools are each taken in turn.", ""},
        subcommands = {SpoolCommand.Ls.class, SpoolCommand.Drain.class})
public final class SpoolCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ParentCommand
    DqlogCommand parent;

    /** {@code dqlog spool} alone: the usage on stderr, exit 2. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.ERROR;
    }

    static List<Path> spools(Path dir) {
        try {
            List<Path> spools = SpoolSummary.spoolsIn(dir);
            if (spools.isEmpty()) {
                throw new CliException("no spool in " + dir + " (a spool holds a 'lock' file and c<N>-<seq>.seg segments)");
            }
            return spools;
        } catch (IOException e) {
            throw new CliException("cannot read " + dir + ": " + e.getMessage(), e);
        }
    }

    /** {@code dqlog spool ls DIR}. */
    @Command(name = "ls", sortOptions = false, usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
            versionProvider = VersionProvider.class,
            header = "Show what waits in a spool: records per level class, oldest record, size, lock holder.",
            description = {"",
                "Reads the spool without opening it, so it works while the application runs. The lock",
                "says whether a live process holds the spool (it sends it itself) or it is free (the next",
                "sender on this host, or 'dqlog spool drain', sends it).", ""},
            exitCodeListHeading = "%nExit status:%n",
            exitCodeList = {"0:listed", "2:DIR holds no spool or cannot be read"})
    static final class Ls implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "DIR", description = "A spool directory, or a folder of them.")
        Path dir;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            for (Path spool : spools(dir)) {
                SpoolListing.print(SpoolSummary.read(spool), out);
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** {@code dqlog spool drain DIR}. */
    @Command(name = "drain", sortOptions = false, usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
            versionProvider = VersionProvider.class,
            header = "Send what waits in a spool to a broker now, and delete what a broker confirmed.",
            description = {"",
                "Brokers from $DQLOG_BROKERS (or -Ddqlog.brokers), login from $DQLOG_LOGIN and",
                "$DQLOG_PASSCODE_FILE or $DQLOG_PASSCODE. Takes the spool's lock first, so a spool that a",
                "running application holds is refused (that application sends it itself). Panics go first;",
                "each record goes to the logging queue, a panic also to the panic queue, as the appender",
                "sends them; a record the broker refuses goes to the dead-letter file beside the spool; the",
                "records the application had to drop are reported by a WARN record. What no broker",
                "confirmed within --timeout stays in the spool.", ""},
            footer = {"", "Example:", "  DQLOG_BROKERS=tcp://mq1:61613 dqlog spool drain /tmp/dqlog-spool-$USER"},
            exitCodeListHeading = "%nExit status:%n",
            exitCodeList = {"0:every record waiting in the spool was confirmed by a broker (or none waited)",
                "1:not everything was confirmed: a broker refused a record, or none confirmed within --timeout",
                "2:bad usage, no spool in DIR, or the spool is held by a running process"})
    static final class Drain implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @ParentCommand
        SpoolCommand spool;

        @Parameters(paramLabel = "DIR", description = "A spool directory, or a folder of them.")
        Path dir;

        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5m",
                description = "Send for at most DURATION per spool: 500ms, 30s, 5m (default: ${DEFAULT-VALUE}).")
        String timeout;

        @Option(names = "--logging-destination", paramLabel = "DEST", defaultValue = Destinations.LOGGING,
                description = "Where records go, if the application used another queue (default: ${DEFAULT-VALUE}).")
        String loggingDestination;

        @Option(names = "--panic-destination", paramLabel = "DEST", defaultValue = Destinations.PANIC,
                description = "Where panic copies go (default: ${DEFAULT-VALUE}).")
        String panicDestination;

        @Override
        public Integer call() {
            Duration limit = PanicSender.parseTimeout(timeout);
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            SpoolDrain drainer = new SpoolDrain(BrokerSettings.of(spool.parent.environment()), limit,
                    loggingDestination, panicDestination, err);
            int exit = ExitCodes.OK;
            for (Path each : spools(dir)) {
                exit = Math.max(exit, drainer.drain(each, out));
            }
            out.flush();
            err.flush();
            return exit;
        }
    }
}
