package org.dqlog.archive.search;

/**
 * A search that cannot run as asked (a bad query or time, no index to search), told in one complete
 * line the user can act on; the command line prints it as it is ({@code dqlog: <message>}).
 */
public final class SearchException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SearchException(String message) {
        super(message);
    }

    public SearchException(String message, Throwable cause) {
        super(message, cause);
    }
}
