package org.dqlog.collector.ops;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A strict reader of Prometheus text format 0.0.4 for assertions: every sample must follow the
 * HELP and TYPE lines of its metric, label values are unescaped, and anything else fails.
 */
final class Exposition {

    record Sample(String name, Map<String, String> labels, String value) { }

    final Map<String, String> types = new HashMap<>();
    final Map<String, String> helps = new HashMap<>();
    final List<Sample> samples = new ArrayList<>();

    static Exposition parse(String text) {
        Exposition e = new Exposition();
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new IllegalArgumentException("exposition must end with a line feed");
        }
        for (String line : text.split("\n")) {
            if (line.startsWith("# HELP ")) {
                String[] parts = line.substring(7).split(" ", 2);
                e.helps.put(parts[0], parts[1]);
            } else if (line.startsWith("# TYPE ")) {
                String[] parts = line.substring(7).split(" ");
                if (parts.length != 2 || !List.of("counter", "gauge", "untyped").contains(parts[1])) {
                    throw new IllegalArgumentException("bad TYPE line: " + line);
                }
                if (!e.helps.containsKey(parts[0]) || e.types.put(parts[0], parts[1]) != null) {
                    throw new IllegalArgumentException("TYPE without HELP, or twice: " + line);
                }
            } else if (!line.isEmpty()) {
                Sample s = sample(line);
                if (!e.types.containsKey(s.name())) {
                    throw new IllegalArgumentException("sample before its TYPE line: " + line);
                }
                e.samples.add(s);
            }
        }
        return e;
    }

    /** The value of the one sample with this name and exactly these labels (name, value, name, value...). */
    String value(String name, String... labelPairs) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (int i = 0; i < labelPairs.length; i += 2) {
            labels.put(labelPairs[i], labelPairs[i + 1]);
        }
        List<String> found = new ArrayList<>();
        for (Sample s : samples) {
            if (s.name().equals(name) && s.labels().equals(labels)) {
                found.add(s.value());
            }
        }
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " samples of " + name + labels + " in " + samples);
        }
        return found.get(0);
    }

    boolean has(String name) {
        return samples.stream().anyMatch(s -> s.name().equals(name));
    }

    private static Sample sample(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
            throw new IllegalArgumentException("bad metric name: " + line);
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                String key = line.substring(i, eq);
                if (!key.matches("[a-zA-Z_][a-zA-Z0-9_]*") || line.charAt(eq + 1) != '"') {
                    throw new IllegalArgumentException("bad label: " + line);
                }
                StringBuilder v = new StringBuilder();
                int j = eq + 2;
                for (; line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char n = line.charAt(++j);
                        v.append(n == 'n' ? '\n' : n == '\\' ? '\\' : n == '"' ? '"' : fail(line));
                    } else {
                        v.append(c);
                    }
                }
                labels.put(key, v.toString());
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            i++;
        }
        if (line.charAt(i) != ' ') {
            throw new IllegalArgumentException("no value: " + line);
        }
        String value = line.substring(i + 1);
        Objects.requireNonNull(value);
        if (!value.matches("[+-]?(Inf|NaN|\\d+(\\.\\d+)?([eE][+-]?\\d+)?)")) {
            throw new IllegalArgumentException("bad value: " + line);
        }
        return new Sample(name, labels, value);
    }

    private static char fail(String line) {
        throw new IllegalArgumentException("bad escape: " + line);
    }
}
