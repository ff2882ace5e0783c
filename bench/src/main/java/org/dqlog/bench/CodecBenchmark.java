package org.dqlog.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.dqlog.core.LogRecord;
import org.dqlog.core.MalformedRecordException;
import org.dqlog.core.RecordCodec;
import org.dqlog.core.Timestamps;
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
 * Encoding and decoding one record body: our {@link RecordCodec} (Jackson streaming, what the
 * appenders ship shaded) against a hand-written writer ({@link HandWrittenJsonWriter}, the other
 * option of DESIGN.md) and against Jackson databind on a {@code Map} (what an application would
 * write without either). Run with {@code -prof gc} for the bytes allocated per operation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx512m"})
public class CodecBenchmark {

    /** {@code typical}: an INFO line with MDC (~420 B); {@code stackTrace}: an ERROR with a 40-frame stack (~4 KB). */
    @Param({"typical", "stackTrace"})
    public String record;

    private LogRecord value;
    private byte[] body;
    private final HandWrittenJsonWriter handWritten = new HandWrittenJsonWriter();
    private final ObjectMapper mapper = new ObjectMapper();

    @Setup
    public void setUp() {
        value = "typical".equals(record) ? SampleRecords.typical() : SampleRecords.withStackTrace();
        body = RecordCodec.encode(value);
    }

    @Benchmark
    public byte[] encodeJacksonStreaming() {
        return RecordCodec.encode(value);
    }

    @Benchmark
    public byte[] encodeHandWritten() {
        return handWritten.encode(value);
    }

    /** The map is built in the call: an application that used databind would build it per event. */
    @Benchmark
    public byte[] encodeJacksonDatabindMap() throws IOException {
        return mapper.writeValueAsBytes(asMap(value));
    }

    @Benchmark
    public LogRecord decodeJacksonStreaming() throws MalformedRecordException {
        return RecordCodec.decode(body);
    }

    @Benchmark
    public Map<?, ?> decodeJacksonDatabindMap() throws IOException {
        return mapper.readValue(body, Map.class);
    }

    static Map<String, Object> asMap(LogRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("type", r.type());
        m.put("ts", Timestamps.format(r.ts()));
        m.put("host", r.host());
        m.put("app", r.app());
        m.put("pid", r.pid());
        m.put("level", r.level().name());
        m.put("logger", r.logger());
        m.put("thread", r.thread());
        m.put("message", r.message());
        m.put("mdc", r.mdc());
        if (r.exception() != null) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("class", r.exception().className());
            e.put("message", r.exception().message());
            e.put("stack", r.exception().stackTrace());
            m.put("exception", e);
        }
        if (r.panic()) {
            m.put("panic", true);
            m.put("msg", r.message());
            m.put("arguments", r.arguments());
            m.put("traceback", r.traceback());
        }
        return m;
    }
}
