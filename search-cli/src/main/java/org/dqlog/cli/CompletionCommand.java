package org.dqlog.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code dqlog completion}: prints a bash/zsh completion script for every subcommand and option. */
@Command(name = "completion", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        header = "Print a bash completion script for dqlog.",
        description = {"", "Load it into the current shell, or install it for every shell:", "",
            "  source <(dqlog completion)",
            "  dqlog completion > /etc/bash_completion.d/dqlog", "",
            "zsh reads it too after 'autoload -U +X bashcompinit && bashcompinit'.", ""})
public final class CompletionCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        String script = AutoComplete.bash("dqlog", spec.root().commandLine());
        spec.commandLine().getOut().print(script);
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
