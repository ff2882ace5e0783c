package org.dqlog.cli.up;

/** {@code ./dqlog up} cannot start; the message is one line for the user, the exit code says why. */
final class UpException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    UpException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
