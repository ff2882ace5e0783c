package org.dqlog.demo;

/** What a demo scenario logs through: the one thing each logging framework's demo application implements. */
interface DemoLog {

    enum Severity { DEBUG, INFO, WARN, ERROR }

    void log(String logger, Severity severity, String message, Throwable error);

    /** Sets the MDC ({@code run}, {@code stream}) of the records that follow on this thread. */
    void context(String run, String stream);
}
