package org.dqlog.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchLinesTest {

    private static List<String> texts(List<BatchLines.Line> lines) {
        return lines.stream().map(l -> l.number() + ":" + new String(l.bytes(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void linesKeepTheirNumberInTheBodyWhileBlankLinesAndCarriageReturnsAreDropped() {
        // given
        byte[] body = "{\"a\":1}\r\n\n   \n{\"b\":2}\n{\"c\":3}".getBytes(StandardCharsets.UTF_8);

        // when
        List<BatchLines.Line> lines = BatchLines.of(body);

        // then
        assertThat(texts(lines)).containsExactly("1:{\"a\":1}", "4:{\"b\":2}", "5:{\"c\":3}");
    }

    @Test
    void aBodyOfNothingButLineBreaksHasNoLines() {
        assertThat(BatchLines.of("\n\r\n \n".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(BatchLines.of(new byte[0])).isEmpty();
    }

    @Test
    void aTrailingLineFeedMakesNoExtraLine() {
        assertThat(texts(BatchLines.of("x\ny\n".getBytes(StandardCharsets.UTF_8)))).containsExactly("1:x", "2:y");
    }
}
