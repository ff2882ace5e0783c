package org.dqlog.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * {@code --data DIR}: where the collector's data is. Without it {@code $DQLOG_DATA}, else
 * {@code ./dqlog-data} when it exists (where {@code ./dqlog up} keeps its data).
 */
public final class DataOption {

    /** The environment variable naming the data directory: {@value}. */
    public static final String DATA_VARIABLE = "DQLOG_DATA";
    /** Looked for in the working directory when nothing else names the data: {@value}. */
    public static final String DEFAULT_DATA_DIR = "dqlog-data";

    @Option(names = "--data", paramLabel = "DIR",
            description = {"A collector's data directory (holding logs/ and index/); repeatable: several",
                "collectors' data are searched together, duplicates removed by record id.",
                "Default: $DQLOG_DATA, else ./dqlog-data when it exists."})
    List<Path> dirs = new ArrayList<>();

    /** The data directories, absolute, duplicates removed; fails with one clear line when none is known. */
    List<Path> resolve(CliEnvironment env) {
        Set<Path> result = new LinkedHashSet<>();
        if (!dirs.isEmpty()) {
            for (Path d : dirs) {
                result.add(env.workingDirectory().resolve(d).toAbsolutePath().normalize());
            }
        } else if (env.variable(DATA_VARIABLE) != null) {
            result.add(env.workingDirectory().resolve(env.variable(DATA_VARIABLE)).toAbsolutePath().normalize());
        } else {
            Path local = env.workingDirectory().resolve(DEFAULT_DATA_DIR);
            if (!Files.isDirectory(local)) {
                throw new CliException("no data directory: give --data DIR or set DQLOG_DATA"
                        + " (there is no ./" + DEFAULT_DATA_DIR + " here)");
            }
            result.add(local.toAbsolutePath().normalize());
        }
        for (Path d : result) {
            if (!Files.isDirectory(d)) {
                throw new CliException("no data directory " + d);
            }
        }
        return List.copyOf(result);
    }

    /** Exactly one data directory (reindex). */
    Path resolveOne(CliEnvironment env) {
        List<Path> all = resolve(env);
        if (all.size() != 1) {
            throw new CliException("give one --data DIR, not " + all.size());
        }
        return all.get(0);
    }
}
