package org.dqlog.cli.progress;

/** What {@code dqlog listen} does with each new message, on its one worker thread. */
@FunctionalInterface
public interface MessageAction {

    /**
     * Handles one message; returns when done (the message is acknowledged then). A failure is
     * the action's to report: the message is acknowledged anyway, never redelivered for it.
     */
    void handle(ReceivedMessage message) throws InterruptedException;
}
