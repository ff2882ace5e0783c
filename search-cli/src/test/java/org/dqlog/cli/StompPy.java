package org.dqlog.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's stomp.py under /usr/bin/python3 (.ci/run installs python3-stomp), as the fleet's
 * Python services use it, and the test scripts of src/test/resources/python copied out to a file.
 */
final class StompPy {

    static final Path PYTHON = Path.of("/usr/bin/python3");

    private StompPy() { }

    /** Skips the test when stomp.py is missing (a developer machine; CI has it). */
    static void assumeInstalled() throws IOException, InterruptedException {
        Assumptions.assumeTrue(Files.isExecutable(PYTHON)
                && new ProcessBuilder(PYTHON.toString(), "-c", "import stomp").start().waitFor() == 0,
                "python3-stomp is not installed");
    }

    /** A test resource copied to {@code dir} (scripts and fixtures are read from files). */
    static Path resource(String name, Path dir) {
        try (InputStream in = StompPy.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + name);
            }
            Path file = dir.resolve(Path.of(name).getFileName().toString());
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
