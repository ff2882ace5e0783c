package org.dqlog.core.stomp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class FrameCodecTest {

    private final FrameCodec codec = new FrameCodec(1024);

    @Test
    void roundTripsHeadersThatNeedEscaping() throws IOException {
        // given
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("destination", "/queue/a:b");
        headers.put("odd\\name", "line1\nline2\r\nback\\slash:colon");
        Frame frame = new Frame(Frame.SEND, headers, "hi".getBytes(StandardCharsets.UTF_8));

        // when
        byte[] wire = codec.encode(frame);
        Frame read = codec.read(new ByteArrayInputStream(wire));

        // then
        String text = new String(wire, StandardCharsets.UTF_8);
        assertThat(text).contains("destination:/queue/a\\cb\n").contains("odd\\\\name:line1\\nline2\\r\\nback\\\\slash\\ccolon\n");
        assertThat(read.command()).isEqualTo(Frame.SEND);
        assertThat(read.headers()).containsEntry("destination", "/queue/a:b")
                .containsEntry("odd\\name", "line1\nline2\r\nback\\slash:colon");
        assertThat(read.bodyAsString()).isEqualTo("hi");
    }

    @Test
    void roundTripsBinaryBodyWithNulBytesThroughContentLength() throws IOException {
        // given
        byte[] body = {0, 1, 0, (byte) 0xff, 10, 0};
        Frame frame = new Frame(Frame.SEND, Map.of("destination", "/queue/x", "content-length", "999"), body);

        // when
        byte[] wire = codec.encode(frame);
        Frame read = codec.read(new ByteArrayInputStream(wire));

        // then
        assertThat(new String(wire, StandardCharsets.ISO_8859_1)).contains("content-length:6\n").doesNotContain("999");
        assertThat(read.body()).containsExactly(body);
        assertThat(read.header("content-length")).isEqualTo("6");
    }

    @Test
    void readsBodyWithoutContentLengthUpToNul() throws IOException {
        // given
        byte[] wire = "MESSAGE\nmessage-id:7\n\nhello\0".getBytes(StandardCharsets.UTF_8);

        // when
        Frame read = codec.read(new ByteArrayInputStream(wire));

        // then
        assertThat(read.header("message-id")).isEqualTo("7");
        assertThat(read.bodyAsString()).isEqualTo("hello");
    }

    @Test
    void skipsHeartbeatEolsBetweenFramesAndAcceptsCrLf() throws IOException {
        // given
        byte[] wire = "\n\r\n\nRECEIPT\r\nreceipt-id:r-1\r\n\r\n\0\n\nRECEIPT\nreceipt-id:r-2\n\n\0\n".getBytes(StandardCharsets.UTF_8);
        ByteArrayInputStream in = new ByteArrayInputStream(wire);

        // when
        Frame first = codec.read(in);
        Frame second = codec.read(in);

        // then
        assertThat(first.header("receipt-id")).isEqualTo("r-1");
        assertThat(second.header("receipt-id")).isEqualTo("r-2");
        assertThatThrownBy(() -> codec.read(in)).isInstanceOf(EOFException.class);
    }

    @Test
    void firstOccurrenceOfARepeatedHeaderWins() throws IOException {
        // given
        byte[] wire = "MESSAGE\nfoo:first\nfoo:second\nbar:x\n\n\0".getBytes(StandardCharsets.UTF_8);

        // when
        Frame read = codec.read(new ByteArrayInputStream(wire));

        // then
        assertThat(read.header("foo")).isEqualTo("first");
        assertThat(read.headers().keySet()).containsExactly("foo", "bar");
    }

    @Test
    void connectAndConnectedHeadersAreNotEscaped() throws IOException {
        // given: STOMP 1.2 leaves CONNECT/CONNECTED unescaped, so a passcode with ':' or '\' goes as is
        Frame connect = new Frame(Frame.CONNECT, Map.of("passcode", "a:b\\c"));

        // when
        byte[] wire = codec.encode(connect);
        Frame connected = codec.read(new ByteArrayInputStream("CONNECTED\nserver:x\\y\n\n\0".getBytes(StandardCharsets.UTF_8)));

        // then
        assertThat(new String(wire, StandardCharsets.UTF_8)).contains("passcode:a:b\\c\n");
        assertThat(codec.read(new ByteArrayInputStream(wire)).header("passcode")).isEqualTo("a:b\\c");
        assertThat(connected.header("server")).isEqualTo("x\\y");
    }

    @Test
    void refusesAConnectHeaderWithALineBreakWithoutShowingItsValue() {
        // given
        Frame connect = new Frame(Frame.CONNECT, Map.of("passcode", "sec\nret"));

        // when / then
        assertThatThrownBy(() -> codec.encode(connect))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("sec");
    }

    @Test
    void oversizeFrameWithContentLengthFailsBeforeReadingTheBody() {
        // given: a claimed 1 GB body, of which nothing follows
        byte[] wire = "ERROR\ncontent-length:1000000000\n\n".getBytes(StandardCharsets.UTF_8);

        // when / then
        assertThatThrownBy(() -> codec.read(new ByteArrayInputStream(wire)))
                .isInstanceOf(FrameTooLargeException.class)
                .hasMessageContaining("maximum of 1024 bytes")
                .hasMessageContaining("content-length 1000000000");
    }

    @Test
    void oversizeFrameWithoutContentLengthFails() {
        // given
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes("ERROR\n\n".getBytes(StandardCharsets.UTF_8));
        wire.writeBytes(new byte[2000]);
        byte[] bytes = wire.toByteArray();
        for (int i = 7; i < bytes.length; i++) {
            bytes[i] = 'x';
        }

        // when / then
        assertThatThrownBy(() -> codec.read(new ByteArrayInputStream(bytes)))
                .isInstanceOf(FrameTooLargeException.class)
                .hasMessageContaining("maximum of 1024 bytes");
    }

    @Test
    void oversizeHeadersFail() {
        // given
        String longHeader = "x:" + "y".repeat(2000) + "\n";
        byte[] wire = ("MESSAGE\n" + longHeader + "\n\0").getBytes(StandardCharsets.UTF_8);

        // when / then
        assertThatThrownBy(() -> codec.read(new ByteArrayInputStream(wire))).isInstanceOf(FrameTooLargeException.class);
    }

    @Test
    void frameOfExactlyTheMaximumSizeIsReadAndOneByteMoreIsNot() throws IOException {
        // given: "MESSAGE\n" (8) + "content-length:996\n" (19) + "\n" (1) + 996 body bytes = 1024, NUL not counted
        byte[] atLimit = messageWithBody(996);
        byte[] overLimit = messageWithBody(997);

        // when
        Frame read = codec.read(new ByteArrayInputStream(atLimit));

        // then
        assertThat(read.body()).hasSize(996);
        assertThat(read.damage()).isNull();
        assertThat(codec.read(new ByteArrayInputStream(overLimit)).damage().kind()).isEqualTo(FrameDamage.Kind.OVERSIZE);
    }

    @Test
    void aMessageBodyLongerThanItsContentLengthIsReadToItsNulAndHandedOverDamagedAndTheNextFrameFollows()
            throws IOException {
        // given: what ActiveMQ sends for a text message with invalid UTF-8: each bad byte became
        // U+FFFD (3 bytes), content-length stayed the sender's
        byte[] sent = "{\"id\":\"x\",\"message\":\"bad \u00ff\u00fe\"}".getBytes(StandardCharsets.ISO_8859_1);
        byte[] rewritten = "{\"id\":\"x\",\"message\":\"bad \ufffd\ufffd\"}".getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(("MESSAGE\nmessage-id:m1\ncontent-length:" + sent.length + "\n\n").getBytes(StandardCharsets.UTF_8));
        wire.writeBytes(rewritten);
        wire.write(0);
        wire.writeBytes(messageWithBody(3));
        ByteArrayInputStream in = new ByteArrayInputStream(wire.toByteArray());

        // when
        Frame damaged = codec.read(in);
        Frame next = codec.read(in);

        // then
        assertThat(damaged.damage().kind()).isEqualTo(FrameDamage.Kind.LENGTH_MISMATCH);
        assertThat(damaged.body()).isEqualTo(rewritten);
        assertThat(damaged.damage().bodyBytes()).isEqualTo(rewritten.length);
        assertThat(damaged.header("message-id")).isEqualTo("m1");
        assertThat(next.body()).hasSize(3);
        assertThat(next.damage()).isNull();
    }

    @Test
    void framesReadThroughAFrameInputAreTheSameAsReadByteByByteWhateverItsBufferSize() throws IOException {
        // given: headers with escapes and CRLF, bodies with and without content-length, heart-beats,
        // an oversize body without content-length, and a body running past its content-length
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(codec.encode(new Frame("MESSAGE", Map.of("a\\c", "x\ny", "message-id", "m1"),
                new byte[] {1, 0, 2})));
        wire.writeBytes("\n\r\nMESSAGE\r\nmessage-id:m2\r\n\r\nno length\0".getBytes(StandardCharsets.UTF_8));
        wire.writeBytes("MESSAGE\nmessage-id:m3\n\n".getBytes(StandardCharsets.UTF_8));
        wire.writeBytes("z".repeat(5000).getBytes(StandardCharsets.UTF_8));
        wire.write(0);
        wire.writeBytes("MESSAGE\nmessage-id:m4\ncontent-length:2\n\nabcd\0".getBytes(StandardCharsets.UTF_8));
        wire.writeBytes(messageWithBody(10));
        byte[] bytes = wire.toByteArray();

        // when
        List<String> byteByByte = readAll(new ByteArrayInputStream(bytes));
        List<String> buffered = readAll(new FrameInput(new ByteArrayInputStream(bytes), 64 * 1024));
        List<String> tinyBuffer = readAll(new FrameInput(new ByteArrayInputStream(bytes), 7));

        // then
        assertThat(byteByByte).hasSize(5);
        assertThat(buffered).isEqualTo(byteByByte);
        assertThat(tinyBuffer).isEqualTo(byteByByte);
    }

    @Test
    void headersOverTheLimitFailThroughAFrameInputToo() {
        String longHeader = "x:" + "y".repeat(2000) + "\n";
        byte[] wire = ("MESSAGE\n" + longHeader + "\n\0").getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> codec.read(new FrameInput(new ByteArrayInputStream(wire), 16)))
                .isInstanceOf(FrameTooLargeException.class);
    }

    /** Every frame of the stream as text: command, headers, body, damage. */
    private List<String> readAll(java.io.InputStream in) throws IOException {
        List<String> frames = new java.util.ArrayList<>();
        while (true) {
            Frame f;
            try {
                f = codec.read(in);
            } catch (EOFException e) {
                return frames;
            }
            frames.add(f.command() + f.headers() + java.util.Arrays.toString(f.body())
                    + (f.damage() == null ? "" : f.damage().toString()));
        }
    }

    @Test
    void aNonMessageFrameLongerThanItsContentLengthIsStillAProtocolError() {
        byte[] wire = "ERROR\ncontent-length:2\n\nabc\0".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> codec.read(new ByteArrayInputStream(wire))).isInstanceOf(StompProtocolException.class);
    }

    @Test
    void anOversizeMessageIsReadPastKeepingOnlyItsStartAndTheNextFrameFollows() throws IOException {
        // given: a 1 MiB body (with and without content-length) through a 1 KiB reader
        FrameCodec small = new FrameCodec(1024);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(messageWithBody(1024 * 1024));
        wire.writeBytes("MESSAGE\nmessage-id:m2\n\n".getBytes(StandardCharsets.UTF_8));
        wire.writeBytes("y".repeat(1024 * 1024).getBytes(StandardCharsets.UTF_8));
        wire.write(0);
        wire.writeBytes(messageWithBody(5));
        ByteArrayInputStream in = new ByteArrayInputStream(wire.toByteArray());

        // when
        Frame first = small.read(in);
        Frame second = small.read(in);
        Frame third = small.read(in);

        // then
        assertThat(first.damage().kind()).isEqualTo(FrameDamage.Kind.OVERSIZE);
        assertThat(first.damage().bodyBytes()).isEqualTo(1024 * 1024);
        assertThat(first.body()).hasSize(FrameCodec.OVERSIZE_KEPT_BYTES);
        assertThat(second.damage().kind()).isEqualTo(FrameDamage.Kind.OVERSIZE);
        assertThat(second.damage().bodyBytes()).isEqualTo(1024 * 1024);
        assertThat(second.body().length).isLessThanOrEqualTo(1024);
        assertThat(second.header("message-id")).isEqualTo("m2");
        assertThat(third.body()).hasSize(5);
        assertThat(third.damage()).isNull();
    }

    private static byte[] messageWithBody(int length) {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(("MESSAGE\ncontent-length:" + length + "\n\n").getBytes(StandardCharsets.UTF_8));
        wire.writeBytes(new byte[length]);
        wire.write(0);
        return wire.toByteArray();
    }

    @Test
    void undefinedEscapeIsAProtocolError() {
        // given
        byte[] wire = "MESSAGE\nfoo:a\\tb\n\n\0".getBytes(StandardCharsets.UTF_8);

        // when / then
        assertThatThrownBy(() -> codec.read(new ByteArrayInputStream(wire)))
                .isInstanceOf(StompProtocolException.class)
                .hasMessageContaining("\\t");
    }

    @Test
    void streamEndingInsideAFrameIsAnEof() {
        // given
        byte[] wire = "MESSAGE\ncontent-length:10\n\nabc".getBytes(StandardCharsets.UTF_8);

        // when / then
        assertThatThrownBy(() -> codec.read(new ByteArrayInputStream(wire))).isInstanceOf(EOFException.class);
    }

    @Test
    void toStringShowsHeaderNamesButNoValues() {
        // given
        Frame connect = new Frame(Frame.CONNECT, Map.of("login", "u", "passcode", "s3cret"));

        // then
        assertThat(connect.toString()).contains("passcode").doesNotContain("s3cret");
    }

    @Test
    void aTlsAlertInsteadOfAFrameSaysUseSslWithoutItsRawBytes() {
        // given what a TLS port answers to a plain CONNECT: a fatal alert, unexpected_message (0x0a is a line break)
        byte[] alert = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x0a};

        // when / then
        assertThatThrownBy(() -> new FrameCodec(1024).read(new ByteArrayInputStream(alert)))
                .isInstanceOf(StompProtocolException.class)
                .hasMessageContaining("this looks like a TLS port; use ssl://")
                .matches(e -> e.getMessage().chars().noneMatch(c -> c < 0x20 || c == 0x7f), "no control characters");
    }

    @Test
    void controlCharactersOfThePeerAreEscapedInErrorTexts() {
        // given a frame whose command line carries control characters and NUL, cut off after it
        byte[] wire = "BAD\u0007\u001b[31m\u0000X\n".getBytes(StandardCharsets.UTF_8);
        Frame error = new Frame(Frame.ERROR, Map.of("message", "refused\u0007\r\nFORGED line"));

        // when / then
        assertThatThrownBy(() -> new FrameCodec(1024).read(new ByteArrayInputStream(wire)))
                .hasMessageContaining("BAD\\x07\\x1b[31m\\x00X");
        assertThat(new StompErrorException("tcp://h:1", error).getMessage())
                .isEqualTo("ERROR from tcp://h:1: refused\\x07\\r\\nFORGED line");
    }
}
