package org.dqlog.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;

import org.junit.jupiter.api.Test;

class ExceptionInfoTest {

    @Test
    void theCapturedTextIsWhatPrintStackTraceWritesWithCausesSuppressedCommonFramesAndCycles() {
        // given: a cause chain with suppressed exceptions, frames in common and a circular reference
        IllegalStateException root = new IllegalStateException("root cause");
        IOException io = new IOException("disk full", root);
        io.addSuppressed(new IllegalArgumentException("closing failed"));
        RuntimeException top = failIn(3, io);
        top.addSuppressed(new UnsupportedOperationException("cleanup", top.getCause()));
        RuntimeException self = new RuntimeException("loop");
        RuntimeException other = new RuntimeException("other", self);
        self.initCause(other);

        // when / then
        for (Throwable t : new Throwable[] {top, self, new Error("no cause"), new UncheckedIOException(io)}) {
            assertThat(ExceptionInfo.of(t).stackTrace()).isEqualTo(printed(t));
        }
    }

    @Test
    void anExceptionThatPrintsItselfItsOwnWayIsPrintedItsOwnWay() {
        // given
        Throwable odd = new RuntimeException("odd") {
            @Override
            public void printStackTrace(PrintWriter s) {
                s.println("my own format");
            }
        };

        RuntimeException wrapper = new RuntimeException("wrapper", odd);

        // when / then
        assertThat(ExceptionInfo.of(wrapper).stackTrace()).isEqualTo(printed(wrapper));
        assertThat(ExceptionInfo.of(odd).stackTrace()).isEqualTo("my own format" + System.lineSeparator());
    }

    @Test
    void theTextIsWrittenOnlyWhenReadAndItsLengthIsEstimatedBefore() {
        // given
        ExceptionInfo info = ExceptionInfo.of(failIn(20, null));

        // when
        long estimate = info.stackTraceLength();
        String text = info.stackTrace();

        // then: the estimate is of the same order as the text
        assertThat(estimate).isBetween(text.length() / 4L, text.length() * 4L);
        assertThat(info.stackTraceLength()).isEqualTo(text.length());
        assertThat(info.className()).isEqualTo(RuntimeException.class.getName());
    }

    private static RuntimeException failIn(int depth, Throwable cause) {
        if (depth == 0) {
            return new RuntimeException("failed", cause);
        }
        return failIn(depth - 1, cause);
    }

    private static String printed(Throwable t) {
        StringWriter text = new StringWriter();
        try (PrintWriter out = new PrintWriter(text)) {
            t.printStackTrace(out);
        }
        return text.toString();
    }
}
