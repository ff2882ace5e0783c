package org.dqlog.cli;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;
import org.dqlog.core.config.ClientSettings;
import org.dqlog.core.config.SecurityWarnings;

/** The shared client settings of {@code panic} and {@code run}: system properties over the command's environment. */
final class BrokerSettings {

    private BrokerSettings() { }

    static ClientSettings of(CliEnvironment env) {
        Map<String, String> props = new HashMap<>();
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith("dqlog.")) {
                props.put(name, System.getProperty(name));
            }
        }
        ClientSettings settings = ClientSettings.of(props, env.variables());
        try {
            settings.redaction();
        } catch (IllegalArgumentException e) {
            throw new CliException(ClientSettings.environmentName(ClientSettings.REDACT) + ": " + e.getMessage());
        }
        try {
            settings.tls().check();
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        return settings;
    }

    /** Says once on {@code err} what the settings expose (a passcode file others can read, a passcode over tcp://). */
    static void warn(ClientSettings settings, PrintWriter err) {
        for (String warning : SecurityWarnings.of(settings)) {
            err.println("dqlog: warning: " + warning);
        }
        err.flush();
    }
}
