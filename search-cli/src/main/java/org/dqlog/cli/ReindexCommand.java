package org.dqlog.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.dqlog.cli.search.Reindex;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code dqlog reindex}: rebuilds the index from the per-host files (the source of truth). */
@Command(name = "reindex", sortOptions = false, usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Rebuild the search index from the per-host files.",
        description = {"",
            "Reads every file under DATA/logs (plain and .gz) and replaces the content of DATA/index in one",
            "final commit: until then searches see the old index, and an interrupted rebuild changes nothing.",
            "The collector must be stopped first (it holds the index). Progress goes to stderr.", ""},
        footer = {"", "Example:", "  dqlog reindex --data /srv/dqlog-data"},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:the index was rebuilt", "2:error (no data, index in use by a collector)"})
public final class ReindexCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ParentCommand
    DqlogCommand parent;

    @Mixin
    DataOption data;

    @Override
    public Integer call() throws Exception {
        CliEnvironment env = parent.environment();
        Path dataDir = data.resolveOne(env);
        if (!Files.isDirectory(dataDir.resolve("logs"))) {
            throw new CliException("no per-host files under " + dataDir + " (no logs/ directory): nothing to index");
        }
        Reindex.Summary s = Reindex.run(env.indexBackend(), dataDir, spec.commandLine().getErr(), env.stderrIsTerminal());
        spec.commandLine().getOut().println("reindexed " + s.records() + " records from " + s.files() + " files"
                + (s.damagedLines() > 0 ? " (" + s.damagedLines() + " damaged lines skipped)" : "")
                + " in " + dataDir);
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
