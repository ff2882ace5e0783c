package org.dqlog.core.spool;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.dqlog.core.Level;

/** Entries and spool reading for the spool tests. */
final class Entries {

    private Entries() {
    }

    static SpoolEntry log(String id, Level level) {
        return SpoolEntry.of(id, level, false, body(id, 40));
    }

    static SpoolEntry panic(String id) {
        return SpoolEntry.of(id, Level.FATAL, true, body(id, 40));
    }

    static SpoolEntry sized(String id, Level level, boolean panic, int bodyBytes) {
        return SpoolEntry.wrap(id, level, panic, body(id, bodyBytes));
    }

    /** A JSON-like body of exactly {@code bytes} bytes that names its record. */
    static byte[] body(String id, int bytes) {
        String text = "{\"id\":\"" + id + "\",\"message\":\"";
        byte[] body = new byte[bytes];
        Arrays.fill(body, (byte) 'x');
        byte[] prefix = text.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(prefix, 0, body, 0, Math.min(prefix.length, bytes));
        return body;
    }

    static List<String> ids(List<SpoolEntry> entries) {
        return entries.stream().map(SpoolEntry::id).collect(Collectors.toList());
    }

    /** Every unread entry, batch by batch, without committing. */
    static List<SpoolEntry> readAllUncommitted(DiskSpool spool) throws IOException {
        List<SpoolEntry> entries = new ArrayList<>();
        for (SpoolBatch batch = spool.readBatch(7, 4096); batch != null; batch = spool.readBatch(7, 4096)) {
            entries.addAll(batch.entries());
        }
        return entries;
    }

    /** Ids of every entry waiting in the spool, leaving the spool as it was. */
    static List<String> peekIds(DiskSpool spool) throws IOException {
        spool.rewind();
        List<String> ids = ids(readAllUncommitted(spool));
        spool.rewind();
        return ids;
    }

    /** Every unread entry, each batch committed as the sender would after the broker's receipt. */
    static List<SpoolEntry> drain(DiskSpool spool) throws IOException {
        List<SpoolEntry> entries = new ArrayList<>();
        for (SpoolBatch batch = spool.readBatch(7, 4096); batch != null; batch = spool.readBatch(7, 4096)) {
            entries.addAll(batch.entries());
            spool.commit(batch);
        }
        return entries;
    }

    static List<String> range(String prefix, int from, int toExclusive) {
        List<String> ids = new ArrayList<>();
        for (int i = from; i < toExclusive; i++) {
            ids.add(String.format("%s%02d", prefix, i));
        }
        return ids;
    }
}
