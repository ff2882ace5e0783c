package org.dqlog.bench;

import java.util.HashMap;
import java.util.Map;

/** {@code --name value} options of the benchmark mains; unknown names are an error, so typos do not pass silently. */
final class Args {

    private final Map<String, String> values = new HashMap<>();

    Args(String[] args, String... known) {
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (!java.util.List.of(known).contains(name)) {
                throw new IllegalArgumentException("unknown option " + name + "; known: " + String.join(" ", known));
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            values.put(name, args[++i]);
        }
    }

    int intValue(String name, int defaultValue) {
        String v = values.get(name);
        return v == null ? defaultValue : Integer.parseInt(v.replace("_", ""));
    }

    String string(String name, String defaultValue) {
        return values.getOrDefault(name, defaultValue);
    }
}
