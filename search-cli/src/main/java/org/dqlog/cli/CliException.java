package org.dqlog.cli;

/**
 * A failure the user can act on, reported as one line on stderr ({@code dqlog: <message>}) and
 * exit code {@link ExitCodes#ERROR}, never as a stack trace. The message is complete in itself.
 */
public final class CliException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CliException(String message) {
        super(message);
    }

    public CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
