package org.dqlog.testkit;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where child-process logs go unless a test says otherwise. */
public final class ChildLogs {

    /** System property that overrides the default folder. */
    public static final String DIR_PROPERTY = "dqlog.childLogs";

    private ChildLogs() {
    }

    /**
     * {@code <build dir>/child-logs} of the module under test (the folder holding
     * {@code test-classes}), so logs survive a failed test next to the surefire reports and
     * each parallel build ({@code -Ddqlog.target=...}) keeps its own; else the temp folder.
     */
    public static Path defaultDir() {
        String override = System.getProperty(DIR_PROPERTY);
        if (override != null && !override.isEmpty()) {
            return Path.of(override);
        }
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (path.getFileName() != null && path.getFileName().toString().equals("test-classes")
                    && Files.isDirectory(path) && path.getParent() != null) {
                return path.getParent().resolve("child-logs");
            }
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "dqlog-child-logs");
    }
}
