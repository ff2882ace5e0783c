package org.dqlog.cli.search;

import java.io.PrintWriter;
import java.util.List;
import org.dqlog.archive.search.Hit;
import org.dqlog.core.LogLine;

/**
 * Prints records: the file line as it stands (default), only its human part, or only its JSON
 * record ({@code --json}, one object per line for jq). With colour, the matches of the
 * {@code -e} patterns are shown as grep shows them, and the level column by severity.
 *
 * <p>Not thread-safe.
 */
public final class LinePrinter {

    /** What part of a line to print. */
    public enum Format { LINE, HUMAN, JSON }

    private static final String MATCH = "\u001b[01;31m\u001b[K";
    private static final String RESET = "\u001b[m\u001b[K";
    private static final String SEPARATOR_COLOR = "\u001b[36m\u001b[K";

    private final PrintWriter out;
    private final Format format;
    private final boolean color;
    private final LineMatcher matcher;
    private long printed;

    public LinePrinter(PrintWriter out, Format format, boolean color, LineMatcher matcher) {
        this.out = out;
        this.format = format;
        this.color = color && format != Format.JSON;
        this.matcher = matcher;
    }

    public void print(Hit hit) {
        String line = hit.line();
        if (line == null) {
            return;
        }
        String text = switch (format) {
            case LINE -> line;
            case HUMAN -> LogLine.humanPart(line);
            case JSON -> LogLine.jsonPart(line);
        };
        if (text == null) {
            return;
        }
        if (color) {
            text = colored(text);
        }
        out.print(text);
        out.print('\n');
        printed++;
    }

    /** The group separator of context output. */
    public void separator() {
        out.print(color ? SEPARATOR_COLOR + "--" + RESET : "--");
        out.print('\n');
    }

    /** True when the reader went away (a closed pipe): stop searching. Checked now and then, as it flushes. */
    public boolean outputClosed() {
        return (printed & 1023) == 0 && out.checkError();
    }

    private String colored(String text) {
        List<int[]> spans = matcher == null ? List.of() : matcher.spans(text);
        StringBuilder b = new StringBuilder(text.length() + 32);
        int[] level = levelColumn(text);
        int pos = 0;
        if (spans.isEmpty() && level != null) {
            b.append(text, 0, level[0]).append(levelColor(text.substring(level[0], level[1])))
                    .append(text, level[0], level[1]).append(RESET);
            pos = level[1];
        }
        for (int[] s : spans) {
            b.append(text, pos, s[0]).append(MATCH).append(text, s[0], s[1]).append(RESET);
            pos = s[1];
        }
        b.append(text, pos, text.length());
        return b.toString();
    }

    /** The level word: the second column of the human part. */
    private static int[] levelColumn(String text) {
        int a = text.indexOf(' ');
        if (a < 0) {
            return null;
        }
        int b = text.indexOf(' ', a + 1);
        return b < 0 ? null : new int[] {a + 1, b};
    }

    private static String levelColor(String level) {
        return switch (level) {
            case "FATAL", "PANIC" -> "\u001b[01;35m\u001b[K";
            case "ERROR" -> "\u001b[01;31m\u001b[K";
            case "WARN" -> "\u001b[33m\u001b[K";
            case "DEBUG", "TRACE" -> "\u001b[2m\u001b[K";
            default -> "\u001b[32m\u001b[K";
        };
    }
}
