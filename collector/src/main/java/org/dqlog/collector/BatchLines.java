package org.dqlog.collector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The lines of a batch body ({@code MsgType:LogBatch}): one record per LF-terminated line, the
 * last line's LF optional. A CR before the LF is dropped (a producer on Windows), and blank
 * lines are skipped but keep their place in the count, so that a line's number is its number in
 * the body as sent: the dead letter of line 7 is line 7 of the message, on every redelivery.
 *
 * <p>Stateless, so thread-safe.
 */
final class BatchLines {

    private BatchLines() { }

    /** One non-blank line: its number in the body (1 is the first) and its bytes. */
    record Line(int number, byte[] bytes) { }

    /** Every non-blank line of {@code body}, in order. */
    static List<Line> of(byte[] body) {
        List<Line> lines = new ArrayList<>();
        int number = 0;
        int start = 0;
        while (start < body.length) {
            int end = indexOf(body, (byte) '\n', start);
            int next = end + 1;
            number++;
            if (end > start && body[end - 1] == '\r') {
                end--;
            }
            if (!isBlank(body, start, end)) {
                lines.add(new Line(number, Arrays.copyOfRange(body, start, end)));
            }
            start = next;
        }
        return lines;
    }

    private static int indexOf(byte[] body, byte b, int from) {
        for (int i = from; i < body.length; i++) {
            if (body[i] == b) {
                return i;
            }
        }
        return body.length;
    }

    private static boolean isBlank(byte[] body, int from, int to) {
        for (int i = from; i < to; i++) {
            if (body[i] != ' ' && body[i] != '\t' && body[i] != '\r') {
                return false;
            }
        }
        return true;
    }
}
