package org.dqlog.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code dqlog --version}: the project version, filtered into a resource by Maven. */
public final class VersionProvider implements IVersionProvider {

    static final String RESOURCE = "version.properties";

    @Override
    public String[] getVersion() {
        Properties p = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // a damaged class path: the version is unknown, nothing else is wrong
        }
        return new String[] {"dqlog " + p.getProperty("version", "(unknown version)"),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
    }
}
