package org.dqlog.core.stomp;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes and reads STOMP 1.2 frames. Header names and values are escaped ({@code \\ \n \r \c}),
 * except in CONNECT and CONNECTED frames, which STOMP 1.2 leaves unescaped. A frame with a body
 * always carries {@code content-length}, so bodies may contain NUL bytes. Heart-beat EOLs between
 * frames are skipped. A frame larger than {@link #maxFrameBytes()} (every byte from the command to
 * the end of the body, the NUL terminator excluded) fails with {@link FrameTooLargeException} before its body is buffered, which bounds
 * the memory one connection can take.
 *
 * <p>Thread-safe (stateless); the streams passed in are not, so one thread reads and one writes at a time.
 */
public final class FrameCodec {

    /** Maximum frame size by default: {@value} bytes (16 MiB). */
    public static final int DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

    private static final String CONTENT_LENGTH = "content-length";

    private final int maxFrameBytes;

    public FrameCodec() {
        this(DEFAULT_MAX_FRAME_BYTES);
    }

    public FrameCodec(int maxFrameBytes) {
        if (maxFrameBytes < 64) {
            throw new IllegalArgumentException("maxFrameBytes too small: " + maxFrameBytes);
        }
        this.maxFrameBytes = maxFrameBytes;
    }

    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    /** Writes one frame (without flushing). A caller's own {@code content-length} header is replaced. */
    public void write(Frame frame, OutputStream out) throws IOException {
        boolean escape = escapes(frame.command());
        ByteArrayOutputStream head = new ByteArrayOutputStream(128);
        appendLine(head, frame.command());
        for (Map.Entry<String, String> header : frame.headers().entrySet()) {
            if (header.getKey().equals(CONTENT_LENGTH)) {
                continue;
            }
            String name = escape ? escape(header.getKey()) : checkUnescapable(header.getKey(), true);
            String value = escape ? escape(header.getValue()) : checkUnescapable(header.getValue(), false);
            appendLine(head, name + ":" + value);
        }
        byte[] body = frame.body();
        if (body.length > 0) {
            appendLine(head, CONTENT_LENGTH + ":" + body.length);
        }
        head.write('\n');
        out.write(head.toByteArray());
        if (body.length > 0) {
            out.write(body);
        }
        out.write(0);
    }

    /** The frame as bytes, exactly as {@link #write} puts them on the wire. */
    public byte[] encode(Frame frame) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(frame.body().length + 128);
        try {
            write(frame, out);
        } catch (IOException e) {
            throw new IllegalStateException("in-memory write failed", e);
        }
        return out.toByteArray();
    }

    /**
     * Reads the next frame, skipping heart-beat EOLs before it.
     *
     * @throws EOFException when the stream ends (between frames or inside one)
     * @throws FrameTooLargeException when the frame exceeds {@link #maxFrameBytes()}
     * @throws StompProtocolException when the bytes are not a STOMP frame
     */
    /** First bytes of a TLS record (alert, handshake) and its major version: what a TLS port answers to plain text. */
    private static final int TLS_ALERT = 0x15;
    private static final int TLS_HANDSHAKE = 0x16;
    private static final int TLS_MAJOR_VERSION = 0x03;

    public Frame read(InputStream in) throws IOException {
        int first;
        do {
            first = in.read();
            if (first == -1) {
                throw new EOFException("connection closed by the peer");
            }
        } while (first == '\n' || first == '\r');
        if (first == TLS_ALERT || first == TLS_HANDSHAKE) {
            int major = in.read();
            if (major == TLS_MAJOR_VERSION) {
                throw new StompProtocolException("the peer answered in TLS, not STOMP: this looks like a TLS port; use ssl://");
            }
            throw new StompProtocolException("not a STOMP frame: it starts with byte " + String.format("0x%02x", first));
        }

        Budget budget = new Budget(maxFrameBytes);
        String command = readLine(in, first, budget);
        String shown = PeerText.escape(command);
        boolean escaped = escapes(command);
        Map<String, String> headers = new LinkedHashMap<>();
        while (true) {
            int b = in.read();
            if (b == -1) {
                throw new EOFException("connection closed inside a " + shown + " frame");
            }
            String line = readLine(in, b, budget);
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new StompProtocolException("bad header line in " + shown + " frame (no name or no ':')");
            }
            String name = line.substring(0, colon);
            String value = line.substring(colon + 1);
            if (escaped) {
                name = unescape(name);
                value = unescape(value);
            }
            headers.putIfAbsent(name, value);
        }
        return new Frame(command, headers, readBody(in, shown, headers.get(CONTENT_LENGTH), budget));
    }

    private byte[] readBody(InputStream in, String command, String contentLength, Budget budget) throws IOException {
        if (contentLength != null) {
            long length;
            try {
                length = Long.parseLong(contentLength.trim());
            } catch (NumberFormatException e) {
                throw new StompProtocolException("bad content-length in " + command + " frame: " + PeerText.escape(contentLength));
            }
            if (length < 0) {
                throw new StompProtocolException("negative content-length in " + command + " frame: " + length);
            }
            if (length > budget.remaining) {
                throw tooLarge(command, "content-length " + length);
            }
            byte[] body = new byte[(int) length];
            int off = 0;
            while (off < body.length) {
                int n = in.read(body, off, body.length - off);
                if (n < 0) {
                    throw new EOFException("connection closed inside the body of a " + command + " frame");
                }
                off += n;
            }
            int terminator = in.read();
            if (terminator == -1) {
                throw new EOFException("connection closed before the end of a " + command + " frame");
            }
            if (terminator != 0) {
                throw new StompProtocolException(command + " frame body longer than its content-length " + length);
            }
            return body;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b == -1) {
                throw new EOFException("connection closed inside the body of a " + command + " frame");
            }
            if (b == 0) {
                return body.toByteArray();
            }
            budget.take(1, command, "body without content-length", this);
            body.write(b);
        }
    }

    /** Reads up to '\n' (the first byte is already read), dropping a '\r' before it. */
    private String readLine(InputStream in, int first, Budget budget) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        int b = first;
        while (b != '\n') {
            if (b == -1) {
                throw new EOFException("connection closed inside a frame's headers");
            }
            budget.take(1, "incoming", "command and headers", this);
            line.write(b);
            b = in.read();
        }
        budget.take(1, "incoming", "command and headers", this);
        byte[] bytes = line.toByteArray();
        int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    private FrameTooLargeException tooLarge(String command, String detail) {
        return new FrameTooLargeException(command + " frame larger than the maximum of " + maxFrameBytes
                + " bytes (" + detail + ")");
    }

    private static boolean escapes(String command) {
        return !command.equals(Frame.CONNECT) && !command.equals(Frame.CONNECTED) && !command.equals(Frame.STOMP);
    }

    private static void appendLine(ByteArrayOutputStream out, String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
        out.write('\n');
    }

    static String escape(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String replacement;
            switch (c) {
                case '\\': replacement = "\\\\"; break;
                case '\n': replacement = "\\n"; break;
                case '\r': replacement = "\\r"; break;
                case ':': replacement = "\\c"; break;
                default: replacement = null; break;
            }
            if (replacement != null && out == null) {
                out = new StringBuilder(s.length() + 8).append(s, 0, i);
            }
            if (out != null) {
                if (replacement != null) {
                    out.append(replacement);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? s : out.toString();
    }

    static String unescape(String s) throws StompProtocolException {
        int backslash = s.indexOf('\\');
        if (backslash < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length()).append(s, 0, backslash);
        for (int i = backslash; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (i + 1 >= s.length()) {
                throw new StompProtocolException("header ends with a lone backslash");
            }
            char next = s.charAt(++i);
            switch (next) {
                case '\\': out.append('\\'); break;
                case 'n': out.append('\n'); break;
                case 'r': out.append('\r'); break;
                case 'c': out.append(':'); break;
                default: throw new StompProtocolException("undefined escape \\" + next + " in a header");
            }
        }
        return out.toString();
    }

    /** CONNECT headers cannot be escaped; refuse what would corrupt the frame (without echoing a value, which may be a passcode). */
    private static String checkUnescapable(String s, boolean isName) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n' || c == '\r' || c == 0 || (isName && c == ':')) {
                throw new IllegalArgumentException("a CONNECT header " + (isName ? "name" : "value")
                        + " contains a line break, NUL or ':' and cannot be sent");
            }
        }
        return s;
    }

    /** Bytes a frame being read may still use. */
    private static final class Budget {
        long remaining;

        Budget(long remaining) {
            this.remaining = remaining;
        }

        void take(int n, String command, String part, FrameCodec codec) throws FrameTooLargeException {
            remaining -= n;
            if (remaining < 0) {
                throw codec.tooLarge(command, part);
            }
        }
    }
}
