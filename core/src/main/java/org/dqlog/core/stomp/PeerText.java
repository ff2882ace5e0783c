package org.dqlog.core.stomp;

/**
 * Text that came from the peer, made safe to put into an error message: control characters, NUL
 * and DEL become {@code \xNN} ({@code \r}, {@code \n} and {@code \t} as such), so that a broker (or
 * whatever listens on the port) can neither forge a log line nor drive a terminal.
 *
 * <p>Stateless, so thread-safe.
 */
final class PeerText {

    private PeerText() { }

    static String escape(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0);
            if (control && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                if (!control) {
                    out.append(c);
                } else if (c == '\r') {
                    out.append("\\r");
                } else if (c == '\n') {
                    out.append("\\n");
                } else if (c == '\t') {
                    out.append("\\t");
                } else {
                    out.append(String.format("\\x%02x", (int) c));
                }
            }
        }
        return out == null ? text : out.toString();
    }
}
