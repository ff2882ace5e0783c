package org.dqlog.core.publish;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import org.dqlog.core.Level;
import org.dqlog.core.LogRecord;
import org.dqlog.core.RecordCodec;
import org.dqlog.core.WireMessages;

/** Records and messages for the publish tests. */
final class TestRecords {

    private TestRecords() {
    }

    static LogRecord record(String id, Level level) {
        return LogRecord.builder().id(id).type(LogRecord.TYPE_LOG).ts(Instant.now().truncatedTo(ChronoUnit.MICROS)).host("testhost").app("publish-test")
                .pid(42L).level(level).logger("org.dqlog.test.Publish").thread("main").message("record " + id).build();
    }

    /** One message per id to {@code destination}. */
    static List<OutboundMessage> messages(String destination, List<String> ids) {
        List<OutboundMessage> batch = new ArrayList<>(ids.size());
        for (String id : ids) {
            LogRecord r = record(id, Level.INFO);
            batch.add(OutboundMessage.of(destination, WireMessages.sendHeaders(r, destination),
                    RecordCodec.encode(r)));
        }
        return batch;
    }

    static List<String> ids(String prefix, int from, int count) {
        List<String> ids = new ArrayList<>(count);
        for (int i = from; i < from + count; i++) {
            ids.add(prefix + "-" + i);
        }
        return ids;
    }

    /** A loopback port nothing listens on now (a broker may be started on it later). */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
