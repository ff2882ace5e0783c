package org.dqlog.cli;

import org.dqlog.cli.search.LinePrinter;
import picocli.CommandLine.Option;

/** How {@code search} and {@code tail} print a record: as its file line, as JSON or its human part; coloured or not (a picocli mixin). */
public final class OutputOptions {

    @Option(names = "--json", description = "Print each record as one JSON object (for jq).")
    boolean json;

    @Option(names = "--human", description = "Print only the human part of each line (before the TAB).")
    boolean human;

    @Option(names = "--color", paramLabel = "WHEN", arity = "0..1", fallbackValue = "auto", defaultValue = "auto",
            description = "Colour matches and levels: auto (when stdout is a terminal), always, never.")
    ColorMode color;

    /** The line format; fails with one clear line when both {@code --json} and {@code --human} are given. */
    LinePrinter.Format format() {
        if (json && human) {
            throw new CliException("--json and --human cannot be used together");
        }
        return json ? LinePrinter.Format.JSON : human ? LinePrinter.Format.HUMAN : LinePrinter.Format.LINE;
    }

    /** True if matches and levels are coloured on {@code env}'s stdout. */
    boolean colored(CliEnvironment env) {
        return color.enabled(env.stdoutIsTerminal());
    }
}
