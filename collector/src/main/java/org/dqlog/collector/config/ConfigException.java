package org.dqlog.collector.config;

/**
 * A configuration that cannot be used, explained in one line a person can act on:
 * {@code collector.yaml: files.maxFileBytes: not a size: '12 potatoes'}. The message names the
 * file and the key path; it never carries a secret (a passcode or password is never echoed).
 */
public final class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final String keyPath;
    private final String problem;

    /**
     * @param source  the file as the user named it (or another label such as {@code <defaults>})
     * @param keyPath dotted path of the offending key ({@code mail.routes[1].to}); empty for the whole file
     * @param problem what is wrong, without any secret value
     */
    public ConfigException(String source, String keyPath, String problem) {
        super(source + ": " + (keyPath == null || keyPath.isEmpty() ? "" : keyPath + ": ") + problem);
        this.source = source;
        this.keyPath = keyPath == null ? "" : keyPath;
        this.problem = problem;
    }

    public String source() {
        return source;
    }

    /** Dotted path of the offending key; empty when the problem concerns the whole file. */
    public String keyPath() {
        return keyPath;
    }

    public String problem() {
        return problem;
    }
}
