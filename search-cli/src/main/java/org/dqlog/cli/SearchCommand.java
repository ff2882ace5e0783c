package org.dqlog.cli;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.dqlog.cli.search.LinePrinter;
import org.dqlog.cli.search.SearchRequest;
import org.dqlog.cli.search.SearchRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code dqlog search}: grep over the central logs of every host, through the collector's index. */
@Command(name = "search", sortOptions = false, usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Search the central logs of every host (grep's exit codes: 0 match, 1 none, 2 error).",
        description = {
            "",
            "Prints the matching records as lines of the per-host files, oldest first, merged across hosts.",
            "QUERY is Lucene query syntax over the record fields: words search the message, all must match",
            "(AND); fields: message, exception, host, app, logger, thread, level, pid, type, panic, command,",
            "exception_class, mdc.KEY, id, host_dir; ts:[2h TO now], level_num:[WARN TO *]; * and ? wildcards,",
            "\"phrases\", OR, NOT, (groups). -e patterns are Java regular expressions matched against the",
            "whole line as it stands in the per-host files, as grep -E would match it.",
            ""},
        footer = {"",
            "Examples:",
            "  dqlog search 'timeout AND host:pc-tier0-*' --since 2h",
            "  dqlog search --level ERROR --host 'pc-tier0-*' --since 2026-11-26 --until 2026-11-27",
            "  dqlog search -e 'disk (full|quota)' -C 3 --since 1d",
            "  dqlog search --panics --json | jq .message",
            "  dqlog search -c --level WARN --app webdisplay; dqlog search --hosts 'exception_class:*ioexception'"},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:something matched", "1:nothing matched", "2:error (bad query, bad time, no index)"})
public final class SearchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ParentCommand
    DqlogCommand parent;

    @Parameters(index = "0", arity = "0..1", paramLabel = "QUERY",
            description = "Lucene query (default field: message). Without it, every record.")
    String query;

    @Option(names = {"-e", "--regexp"}, paramLabel = "PATTERN",
            description = "Select records whose file line matches PATTERN (Java regex); repeatable, any may match.")
    List<String> patterns = new ArrayList<>();

    @Option(names = {"-F", "--fixed-strings"}, description = "PATTERNs are literal strings, not regexes.")
    boolean fixed;

    @Option(names = {"-i", "--ignore-case"}, description = "PATTERNs ignore case.")
    boolean ignoreCase;

    @Option(names = {"-v", "--invert-match"}, description = "Select records whose line matches no PATTERN.")
    boolean invert;

    @Option(names = {"-C", "--context"}, paramLabel = "N",
            description = "Print N records of the same host before and after each match.")
    Integer context;

    @Option(names = {"-A", "--after-context"}, paramLabel = "N", description = "Print N records after each match.")
    Integer afterContext;

    @Option(names = {"-B", "--before-context"}, paramLabel = "N", description = "Print N records before each match.")
    Integer beforeContext;

    @Option(names = {"-m", "--max-count"}, paramLabel = "N", description = "Stop after N matching records.")
    long maxCount;

    @Option(names = {"-c", "--count"}, description = "Print only the number of matching records.")
    boolean count;

    @Option(names = "--hosts", description = "Print only the matching hosts (their directory names), with counts.")
    boolean hosts;

    @Option(names = "--reverse", description = "Newest first.")
    boolean reverse;

    @Mixin
    OutputOptions output;

    @Mixin
    FilterOptions filters;

    @Mixin
    DataOption data;

    @Override
    public Integer call() throws Exception {
        try {
            SearchRequest request = request(Instant.now());
            long n = new SearchRun(request, parent.environment().indexBackend(), spec.commandLine().getOut()).run(Instant.now());
            return n > 0 ? ExitCodes.OK : ExitCodes.NO_MATCH;
        } finally {
            spec.commandLine().getOut().flush();
        }
    }

    SearchRequest request(Instant now) {
        if (count && hosts) {
            throw new CliException("--count and --hosts cannot be used together");
        }
        LinePrinter.Format format = output.format();
        if ((fixed || ignoreCase || invert) && patterns.isEmpty()) {
            throw new CliException("-F, -i and -v apply to -e PATTERN; give one");
        }
        int c = context == null ? 0 : nonNegative("-C", context);
        int before = beforeContext == null ? c : nonNegative("-B", beforeContext);
        int after = afterContext == null ? c : nonNegative("-A", afterContext);
        if (maxCount < 0) {
            throw new CliException("-m must not be negative");
        }
        SearchRequest.Output mode = count ? SearchRequest.Output.COUNT
                : hosts ? SearchRequest.Output.HOSTS : SearchRequest.Output.RECORDS;
        CliEnvironment env = parent.environment();
        return new SearchRequest(query, patterns, fixed, ignoreCase, invert, before, after, maxCount, mode, format,
                reverse, output.colored(env), filters.toFilters(now), data.resolve(env));
    }

    private static int nonNegative(String option, int n) {
        if (n < 0) {
            throw new CliException(option + " must not be negative");
        }
        return n;
    }
}
