package org.dqlog.cli;

import java.util.HashMap;
import java.util.Map;
import org.dqlog.core.config.ClientSettings;

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
        return settings;
    }
}
