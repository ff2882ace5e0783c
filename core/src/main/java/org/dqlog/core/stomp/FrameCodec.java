package org.dqlog.core.stomp;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes and reads STOMP 1.2 frames. Header names and values are escaped ({@code \\ \n \r \c}),
 * except in CONNECT and CONNECTED frames, which STOMP 1.2 leaves unescaped. A frame with a body
 * always carries {@code content-length}, so bodies may contain NUL bytes. Heart-beat EOLs between
 * frames are skipped. A frame larger than {@link #maxFrameBytes()} (every byte from the command to
 * the end of the body, the NUL terminator excluded) fails with {@link FrameTooLargeException} before its body is buffered, which bounds
 * the memory one connection can take; except a MESSAGE frame, which is read past (its first
 * {@value #OVERSIZE_KEPT_BYTES} body bytes kept) and handed over {@link FrameDamage damaged}, so that one
 * message cannot stop a subscription. A MESSAGE body that runs past its {@code content-length}
 * (ActiveMQ's rewrite of invalid UTF-8 in a text message) is read on to its NUL and handed over
 * damaged as well.
 *
 * <p>Thread-safe (stateless); the streams passed in are not, so one thread reads and one writes at a time.
 */
public final class FrameCodec {

    /** Maximum frame size by default: {@value} bytes (16 MiB). */
    public static final int DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;
    /** Of the body of a MESSAGE frame over the limit, this much is kept for the dead letter: {@value} bytes. */
    public static final int OVERSIZE_KEPT_BYTES = 64 * 1024;

    private static final String CONTENT_LENGTH = "content-length";
    /** Where skipped bytes go. */
    private static final ByteArrayOutputStream DISCARD = new ByteArrayOutputStream(0) {
        @Override
        public void write(byte[] b, int off, int len) {
        }

        @Override
        public void write(int b) {
        }
    };

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

    /** First bytes of a TLS record (alert, handshake) and its major version: what a TLS port answers to plain text. */
    private static final int TLS_ALERT = 0x15;
    private static final int TLS_HANDSHAKE = 0x16;
    private static final int TLS_MAJOR_VERSION = 0x03;

    /**
     * Reads the next frame, skipping heart-beat EOLs before it.
     *
     * @throws EOFException when the stream ends (between frames or inside one)
     * @throws FrameTooLargeException when the frame exceeds {@link #maxFrameBytes()}
     * @throws StompProtocolException when the bytes are not a STOMP frame
     */
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
        return readBody(in, command, headers, budget);
    }

    private Frame readBody(InputStream in, String command, Map<String, String> headers, Budget budget)
            throws IOException {
        boolean message = command.equals(Frame.MESSAGE);
        String contentLength = headers.get(CONTENT_LENGTH);
        if (contentLength == null) {
            return readToNul(in, command, headers, new ByteArrayOutputStream(), 0, budget, message);
        }
        long length;
        try {
            length = Long.parseLong(contentLength.trim());
        } catch (NumberFormatException e) {
            throw new StompProtocolException("bad content-length in " + PeerText.escape(command) + " frame: " + PeerText.escape(contentLength));
        }
        if (length < 0) {
            throw new StompProtocolException("negative content-length in " + command + " frame: " + length);
        }
        if (length > budget.remaining) {
            if (!message) {
                throw tooLarge(command, "content-length " + length);
            }
            // Read past it (never hold it): failing the session would bring the same message back for ever.
            byte[] kept = readFully(in, command, (int) Math.min(length, OVERSIZE_KEPT_BYTES));
            skipFully(in, command, length - kept.length);
            long extra = skipToNul(in, command);
            return new Frame(command, headers, kept, new FrameDamage(FrameDamage.Kind.OVERSIZE, length + extra,
                    "content-length " + length + " over the frame limit of " + maxFrameBytes + " bytes"));
        }
        byte[] body = readFully(in, command, (int) length);
        int terminator = in.read();
        if (terminator == -1) {
            throw new EOFException("connection closed before the end of a " + command + " frame");
        }
        if (terminator == 0) {
            return new Frame(command, headers, body);
        }
        if (!message) {
            throw new StompProtocolException(command + " frame body longer than its content-length " + length);
        }
        // Not the NUL: ActiveMQ rewrote a text body (invalid UTF-8 became U+FFFD) and kept the old
        // length. The frame still ends at the next NUL; only then, since a binary body may hold NULs.
        ByteArrayOutputStream whole = new ByteArrayOutputStream(body.length + 64);
        whole.write(body);
        whole.write(terminator);
        budget.take(1, command, "body", this);
        Frame rest = readToNul(in, command, headers, whole, body.length + 1, budget, true);
        if (rest.damage() != null) {
            return rest;
        }
        return new Frame(command, headers, rest.body(), new FrameDamage(FrameDamage.Kind.LENGTH_MISMATCH,
                rest.body().length, "body of " + rest.body().length + " bytes but content-length " + length));
    }

    /**
     * Reads a body up to its NUL into {@code body} (which holds {@code read} bytes already). A
     * MESSAGE body past the budget is read on without being kept (an OVERSIZE frame with its
     * first bytes); any other frame fails.
     */
    private Frame readToNul(InputStream in, String command, Map<String, String> headers, ByteArrayOutputStream body,
            long read, Budget budget, boolean message) throws IOException {
        if (in instanceof FrameInput) {
            long n = ((FrameInput) in).copyUntil(0, body, Math.max(0, budget.remaining));
            if (n == FrameInput.END) {
                throw new EOFException("connection closed inside the body of a " + command + " frame");
            }
            if (n <= budget.remaining) {
                budget.take((int) n, command, "body without content-length", this);
                return new Frame(command, headers, body.toByteArray());
            }
            if (!message) {
                throw tooLarge(command, "body without content-length");
            }
            return oversize(command, headers, body, read + n + skipToNul(in, command));
        }
        while (true) {
            int b = in.read();
            if (b == -1) {
                throw new EOFException("connection closed inside the body of a " + command + " frame");
            }
            if (b == 0) {
                return new Frame(command, headers, body.toByteArray());
            }
            if (budget.remaining <= 0 && message) {
                return oversize(command, headers, body, read + 1 + skipToNul(in, command));
            }
            budget.take(1, command, "body without content-length", this);
            body.write(b);
            read++;
        }
    }

    /** A MESSAGE read past its limit: the start of its body, and how long it was. */
    private Frame oversize(String command, Map<String, String> headers, ByteArrayOutputStream body, long total) {
        byte[] all = body.toByteArray();
        byte[] kept = all.length > OVERSIZE_KEPT_BYTES ? Arrays.copyOf(all, OVERSIZE_KEPT_BYTES) : all;
        return new Frame(command, headers, kept, new FrameDamage(FrameDamage.Kind.OVERSIZE, total,
                "body of " + total + " bytes over the frame limit of " + maxFrameBytes + " bytes"));
    }

    private static byte[] readFully(InputStream in, String command, int length) throws IOException {
        byte[] body = new byte[length];
        int off = 0;
        while (off < body.length) {
            int n = in.read(body, off, body.length - off);
            if (n < 0) {
                throw new EOFException("connection closed inside the body of a " + command + " frame");
            }
            off += n;
        }
        return body;
    }

    private static void skipFully(InputStream in, String command, long length) throws IOException {
        byte[] scratch = new byte[8192];
        long left = length;
        while (left > 0) {
            int n = in.read(scratch, 0, (int) Math.min(scratch.length, left));
            if (n < 0) {
                throw new EOFException("connection closed inside the body of a " + command + " frame");
            }
            left -= n;
        }
    }

    /** Reads up to and including the next NUL; returns how many bytes came before it. */
    private static long skipToNul(InputStream in, String command) throws IOException {
        if (in instanceof FrameInput) {
            long n = ((FrameInput) in).copyUntil(0, DISCARD, Long.MAX_VALUE - 1);
            if (n == FrameInput.END) {
                throw new EOFException("connection closed before the end of a " + command + " frame");
            }
            return n;
        }
        long skipped = 0;
        while (true) {
            int b = in.read();
            if (b == -1) {
                throw new EOFException("connection closed before the end of a " + command + " frame");
            }
            if (b == 0) {
                return skipped;
            }
            skipped++;
        }
    }

    /** Reads up to '\n' (the first byte is already read), dropping a '\r' before it. */
    private String readLine(InputStream in, int first, Budget budget) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        if (in instanceof FrameInput && first != '\n') {
            budget.take(1, "incoming", "command and headers", this);
            line.write(first);
            long n = ((FrameInput) in).copyUntil('\n', line, Math.max(0, budget.remaining));
            if (n == FrameInput.END) {
                throw new EOFException("connection closed inside a frame's headers");
            }
            budget.take((int) n + 1, "incoming", "command and headers", this); // the line and its LF
            return text(line.toByteArray());
        }
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
        return text(line.toByteArray());
    }

    /** A line's text, without the CR of a CRLF. */
    private static String text(byte[] bytes) {
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
