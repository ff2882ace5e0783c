package org.dqlog.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OutputTailTest {

    private static void append(OutputTail tail, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        tail.append(b, 0, b.length);
    }

    @Test
    void keepsTheLastLinesAcrossChunksIncludingAnUnfinishedOne() {
        OutputTail tail = new OutputTail(3, 1024);

        append(tail, "one\ntw");
        append(tail, "o\nthree\nfour\nfi");

        assertThat(tail.lines()).containsExactly("three", "four", "fi");
        assertThat(tail.truncated()).isTrue();
    }

    @Test
    void keepsWithinTheByteLimitAndCutsAnEndlessLineToItsEnd() {
        OutputTail tail = new OutputTail(100, 9);

        append(tail, "aaaa\nbbbb\ncccc\n");
        assertThat(tail.lines()).containsExactly("cccc");

        append(tail, "x".repeat(25) + "END");
        assertThat(tail.lines()).containsExactly("xxxxxxEND");
    }

    @Test
    void aShortOutputIsKeptWhole() {
        OutputTail tail = new OutputTail();

        append(tail, "out\nerr\n");

        assertThat(tail.lines()).containsExactly("out", "err");
        assertThat(tail.truncated()).isFalse();
    }
}
