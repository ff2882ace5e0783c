package org.dqlog.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.dqlog.core.RecordCodec;
import org.dqlog.core.stomp.Frame;
import org.dqlog.core.stomp.FrameCodec;
import org.dqlog.core.stomp.FrameInput;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reading MESSAGE frames as a collector session does: 1,000 frames with ActiveMQ's headers and a
 * typical record body, from memory, through the JDK's {@link BufferedInputStream} (a lock per
 * byte read; the reader before issue 11) and through {@link FrameInput} (bulk scans for the
 * line and NUL delimiters). {@code withLength}: bodies carry content-length, as ActiveMQ sends
 * them; {@code noLength}: bodies end at their NUL only, as some STOMP clients send.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FrameReadBenchmark {

    private static final int FRAMES = 1000;

    @Param({"withLength", "noLength"})
    public String bodies;

    private final FrameCodec codec = new FrameCodec();
    private byte[] wire;

    @Setup
    public void setUp() throws IOException {
        byte[] body = RecordCodec.encode(SampleRecords.typical());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("subscription", "dqlog-0");
        headers.put("destination", "/queue/atlas.dqm.logging");
        headers.put("ack", "ID:mq1.cern.ch-36421-1764766345123-3:1:1:1:1");
        headers.put("message-id", "ID:mq1.cern.ch-36421-1764766345123-5:1:-1:1:42");
        headers.put("persistent", "true");
        headers.put("priority", "4");
        headers.put("timestamp", "1764766345999");
        headers.put("expires", "0");
        headers.put("MsgClass", "DQ");
        headers.put("MsgType", "Log");
        headers.put("host", "node7.cern.ch");
        headers.put("app", "webdisplay");
        headers.put("level", "INFO");
        headers.put("content-type", "application/json");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] one = codec.encode(new Frame(Frame.MESSAGE, headers, body));
        if ("noLength".equals(bodies)) {
            String text = new String(one, java.nio.charset.StandardCharsets.ISO_8859_1)
                    .replaceFirst("content-length:\\d+\n", "");
            one = text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        for (int i = 0; i < FRAMES; i++) {
            out.write(one);
        }
        wire = out.toByteArray();
    }

    @Benchmark
    public int bufferedInputStream() throws IOException {
        return readAll(new BufferedInputStream(new ByteArrayInputStream(wire), 64 * 1024));
    }

    @Benchmark
    public int frameInput() throws IOException {
        return readAll(new FrameInput(new ByteArrayInputStream(wire), 64 * 1024));
    }

    private int readAll(InputStream in) throws IOException {
        int bytes = 0;
        for (int i = 0; i < FRAMES; i++) {
            bytes += codec.read(in).body().length;
        }
        return bytes;
    }
}
