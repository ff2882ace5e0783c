package org.dqlog.collector.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One value of the parsed YAML tree together with its key path, so that every error can name
 * the file and the key ({@code collector.yaml: batch.maxDelay: not a duration: 'soon'}). A key
 * that is absent, or present without a value, reads as its default. Values of keys that name a
 * passcode or password are never echoed.
 *
 * <p>Not thread-safe; used by one loading thread.
 */
final class ConfigNode {

    private final String source;
    private final String path;
    private final Object value;

    private ConfigNode(String source, String path, Object value) {
        this.source = source;
        this.path = path;
        this.value = value;
    }

    static ConfigNode root(String source, Object value) {
        return new ConfigNode(source, "", value);
    }

    String path() {
        return path;
    }

    String source() {
        return source;
    }

    boolean isSet() {
        return value != null;
    }

    /** Whether YAML read the value as true or false (it does so for unquoted yes, no, on, off). */
    boolean isBoolean() {
        return value instanceof Boolean;
    }

    ConfigException error(String problem) {
        return new ConfigException(source, path, problem);
    }

    /**
     * The children of a mapping, after checking that it names no key outside {@code known}.
     * An absent mapping has no children.
     */
    Map<String, ConfigNode> mapping(Set<String> known) throws ConfigException {
        if (value == null) {
            return Collections.emptyMap();
        }
        if (!(value instanceof Map)) {
            throw error("expected a section of keys (" + String.join(", ", new TreeSet<>(known)) + "), got " + shown());
        }
        Map<String, ConfigNode> children = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
            String key = String.valueOf(e.getKey());
            ConfigNode child = new ConfigNode(source, path.isEmpty() ? key : path + "." + key, e.getValue());
            if (!(e.getKey() instanceof String) || !known.contains(key)) {
                throw child.error("unknown key (known here: " + String.join(", ", new TreeSet<>(known)) + ")");
            }
            children.put(key, child);
        }
        return children;
    }

    /** A child of a mapping already checked by {@link #mapping}; absent keys give an unset node. */
    static ConfigNode child(Map<String, ConfigNode> children, ConfigNode parent, String key) {
        ConfigNode c = children.get(key);
        return c != null ? c : new ConfigNode(parent.source, parent.path.isEmpty() ? key : parent.path + "." + key, null);
    }

    /** The elements of a list; a single scalar counts as a list of one. An unset node gives none. */
    List<ConfigNode> list() throws ConfigException {
        if (value == null) {
            return Collections.emptyList();
        }
        List<ConfigNode> result = new ArrayList<>();
        if (value instanceof List) {
            List<?> items = (List<?>) value;
            for (int i = 0; i < items.size(); i++) {
                result.add(new ConfigNode(source, path + "[" + i + "]", items.get(i)));
            }
        } else if (value instanceof Map) {
            throw error("expected a list, got a section of keys");
        } else {
            result.add(this);
        }
        return result;
    }

    /** Numbers count as strings (YAML reads {@code passcode: 1234} as a number). */
    String string(String defaultValue) throws ConfigException {
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof String || value instanceof Number) {
            return String.valueOf(value);
        }
        throw error("expected a text value, got " + shown());
    }

    boolean bool(boolean defaultValue) throws ConfigException {
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Boolean) {
            return (Boolean) value;
        }
        if (value instanceof String) {
            String s = ((String) value).trim().toLowerCase(Locale.ROOT);
            if (s.equals("true") || s.equals("false")) {
                return Boolean.parseBoolean(s);
            }
        }
        throw error("expected true or false, got " + shown());
    }

    int integer(int defaultValue, int min, int max) throws ConfigException {
        if (value == null) {
            return defaultValue;
        }
        long v;
        if (value instanceof Integer || value instanceof Long) {
            v = ((Number) value).longValue();
        } else if (value instanceof String && ((String) value).trim().matches("-?\\d{1,18}")) {
            v = Long.parseLong(((String) value).trim());
        } else {
            throw error("not a whole number: " + shown());
        }
        if (v < min || v > max) {
            throw error("must be between " + min + " and " + max + ", was " + v);
        }
        return (int) v;
    }

    long size(long defaultValue, long min) throws ConfigException {
        if (value == null) {
            return defaultValue;
        }
        long bytes;
        if (value instanceof Integer || value instanceof Long) {
            bytes = ((Number) value).longValue();
        } else if (value instanceof String) {
            try {
                bytes = Sizes.parse((String) value);
            } catch (IllegalArgumentException e) {
                throw error(e.getMessage());
            }
        } else {
            throw error("not a size: " + shown() + " (" + Sizes.EXPECTED + ")");
        }
        if (bytes < min) {
            throw error("must be at least " + Sizes.format(min) + ", was " + shown());
        }
        return bytes;
    }

    Duration duration(Duration defaultValue, Duration min) throws ConfigException {
        if (value == null) {
            return defaultValue;
        }
        Duration d;
        if (value instanceof String) {
            try {
                d = Durations.parse((String) value);
            } catch (IllegalArgumentException e) {
                throw error(e.getMessage());
            }
        } else if (value instanceof Integer && (Integer) value == 0) {
            d = Duration.ZERO;
        } else {
            throw error("not a duration: " + shown() + " (" + Durations.EXPECTED + "; a bare number has no unit)");
        }
        if (d.compareTo(min) < 0) {
            throw error("must be at least " + Durations.format(min) + ", was " + shown());
        }
        return d;
    }

    /** The value quoted for an error message; hidden for secrets. */
    String shown() {
        String key = path.toLowerCase(Locale.ROOT);
        int dot = key.lastIndexOf('.');
        String last = dot < 0 ? key : key.substring(dot + 1);
        if (value instanceof Map) {
            return "a section of keys";
        }
        if (value instanceof List) {
            return "a list";
        }
        if (last.contains("passcode") || last.contains("password") || last.contains("secret")) {
            return "(a hidden value)";
        }
        return value instanceof String ? "'" + value + "'" : String.valueOf(value);
    }
}
