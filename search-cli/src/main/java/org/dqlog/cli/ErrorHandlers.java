package org.dqlog.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import org.dqlog.archive.search.SearchException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns every failure into one line on stderr and {@link ExitCodes#ERROR}, as grep does: a user
 * (or a script testing {@code $?}) must never see a stack trace nor read an error as "no match".
 */
final class ErrorHandlers {

    private ErrorHandlers() { }

    /** Errors while a command runs: {@link CliException} and {@link SearchException} say it all; anything else gets its class named. */
    static IExecutionExceptionHandler execution() {
        return (Exception e, CommandLine cmd, ParseResult parsed) -> {
            PrintWriter err = cmd.getErr();
            err.println("dqlog: " + describe(e));
            err.flush();
            return ExitCodes.ERROR;
        };
    }

    /** Bad usage: the problem and where to read more, like grep's "Try 'grep --help'". */
    static IParameterExceptionHandler parameters() {
        return (ParameterException e, String[] args) -> {
            CommandLine cmd = e.getCommandLine();
            PrintWriter err = cmd.getErr();
            err.println("dqlog: " + oneLine(e.getMessage()));
            err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
            err.flush();
            return ExitCodes.ERROR;
        };
    }

    static String describe(Throwable e) {
        if (e instanceof CliException || e instanceof SearchException) {
            return oneLine(e.getMessage());
        }
        if (e instanceof UncheckedIOException && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof IOException) {
            return oneLine("I/O error: " + messageOf(e));
        }
        if (e instanceof OutOfMemoryError) {
            return "out of memory (raise the heap with DQLOG_JAVA_OPTS=-Xmx2g)";
        }
        return oneLine("internal error: " + e.getClass().getName() + ": " + messageOf(e));
    }

    private static String messageOf(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** The first line, so that a message never spreads over several lines. */
    static String oneLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).strip();
    }
}
