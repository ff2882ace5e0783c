package org.dqlog.cli;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.dqlog.cli.search.LineMatcher;
import org.dqlog.cli.search.LinePrinter;
import org.dqlog.cli.search.TailRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code dqlog tail}: the last records of every host, and with {@code -f} the new ones as they arrive. */
@Command(name = "tail", sortOptions = false, usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Print the last records matching the filters; with -f, follow new ones until Ctrl-C.",
        description = {"",
            "The last N records in time order (oldest first), as lines of the per-host files. With -f the",
            "index is checked every 250 ms and records are printed as the collector commits them (about",
            "every second), in the order the collector received them.", ""},
        footer = {"", "Examples:",
            "  dqlog tail -n 50 --host 'pc-tier0-*'",
            "  dqlog tail -f --level WARN",
            "  dqlog tail -f 'app:webdisplay AND timeout'"},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:something was printed", "1:nothing matched", "2:error (bad query, bad time, no index)"})
public final class TailCommand implements Callable<Integer> {

    /** Records printed when {@code -n} is not given: {@value}. */
    public static final int DEFAULT_LINES = 10;

    @Spec
    CommandSpec spec;

    @ParentCommand
    DqlogCommand parent;

    @Parameters(index = "0", arity = "0..1", paramLabel = "QUERY",
            description = "Lucene query as in 'dqlog search' (default field: message).")
    String query;

    @Option(names = {"-n", "--lines"}, paramLabel = "N", defaultValue = "" + DEFAULT_LINES,
            description = "Print the last N records (default: ${DEFAULT-VALUE}).")
    int lines;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new records until interrupted (Ctrl-C).")
    boolean follow;

    @Option(names = {"-e", "--regexp"}, paramLabel = "PATTERN",
            description = "Only records whose file line matches PATTERN (Java regex); repeatable.")
    List<String> patterns = new ArrayList<>();

    @Option(names = {"-i", "--ignore-case"}, description = "PATTERNs ignore case.")
    boolean ignoreCase;

    @Mixin
    OutputOptions output;

    @Mixin
    FilterOptions filters;

    @Mixin
    DataOption data;

    @Override
    public Integer call() throws Exception {
        try {
            if (lines < 0) {
                throw new CliException("-n must not be negative");
            }
            LinePrinter.Format format = output.format();
            Instant now = Instant.now();
            CliEnvironment env = parent.environment();
            LineMatcher matcher = patterns.isEmpty() ? null : LineMatcher.of(patterns, false, ignoreCase, false);
            LinePrinter printer = new LinePrinter(spec.commandLine().getOut(), format, output.colored(env), matcher);
            long printed = new TailRun(env.indexBackend(), query, filters.toFilters(now), matcher, printer, spec.commandLine().getOut(),
                    data.resolve(env), now, TailRun.DEFAULT_POLL_INTERVAL).run(lines, follow);
            return printed > 0 ? ExitCodes.OK : ExitCodes.NO_MATCH;
        } finally {
            spec.commandLine().getOut().flush();
        }
    }
}
