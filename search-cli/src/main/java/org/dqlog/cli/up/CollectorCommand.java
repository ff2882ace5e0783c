package org.dqlog.cli.up;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.dqlog.cli.VersionProvider;
import org.dqlog.collector.CollectorMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dqlog collector --config FILE}: the collector daemon, so that the one runnable jar serves
 * the systemd unit ({@code java -jar dqlog.jar collector --config /etc/dqlog/collector.yaml}) as
 * well as the command line. The work, the ready line and the exit codes are {@link CollectorMain}'s.
 */
@Command(name = "collector", sortOptions = false, usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Run the collector daemon: consume from every broker, archive, index, mail panics.",
        description = {"", "Runs until SIGTERM, then completes the batches in hand and stops. Reference: docs/collector.md.", ""},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:stopped", "1:could not start (index held by another collector, port taken, ...)",
            "2:bad usage or configuration (one line names the file and the key)"})
public final class CollectorCommand implements Callable<Integer> {

    @Option(names = {"--config", "-c"}, required = true, paramLabel = "FILE", description = "The collector.yaml.")
    Path config;

    @Option(names = "--exit-on-stdin-eof", hidden = true, description = "Stop when standard input ends (tests).")
    boolean exitOnStdinEof;

    @Override
    public Integer call() {
        // The collector's ready line and reports go straight to the process's streams, as a daemon's do.
        return CollectorMain.run(config, exitOnStdinEof, System.out, System.err);
    }
}
