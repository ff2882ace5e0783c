package org.dqlog.cli;

import picocli.CommandLine;

/** Entry point of the {@code dqlog} command (the launcher script runs {@code org.dqlog.cli.Main <sub> ...}). */
public final class Main {

    private Main() { }

    public static void main(String[] args) {
        System.exit(DqlogCommand.commandLine(CliEnvironment.system()).execute(args));
    }
}
