package org.dqlog.collector.ops;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dqlog.core.FileModes;
import org.dqlog.core.Status;
import org.dqlog.core.Timestamps;

/**
 * The dead-letter files: every message the collector cannot archive is written here as one JSON
 * line (receive time, broker, destination, all headers, reason, raw body) and fsynced before
 * {@link #write} returns, so the caller may acknowledge the message and nothing is lost.
 *
 * <p>Files are {@code deadletter-YYYYMMDD.log} (UTC day), then {@code deadletter-YYYYMMDD-1.log},
 * {@code -2}, ... when a file would pass {@code maxFileBytes}. A line:
 * <pre>{"rts":"2026-11-26T23:59:59.123456Z","broker":"tcp://mq1:61613","destination":"/queue/atlas.dqm.logging",
 * "reason":"undecodable","detail":"...","headers":{"message-id":"..."},"bodyBytes":12,"bodyTruncated":false,
 * "bodyBase64":false,"body":"not json {"}</pre>
 * The body is kept as text when it is valid UTF-8, else in base64 ({@code bodyBase64: true}); at
 * most {@code maxBodyBytes} of it are kept ({@code bodyTruncated: true}, {@code bodyBytes} is
 * the full length).
 *
 * <p>A message is dead-lettered once however often it is delivered: letters are keyed by the
 * broker's {@code message-id} (stable across redeliveries; for a bad line of a batch, the
 * message-id and the line's number, kept in the letter's {@code line} field), remembered for {@link
 * #DEFAULT_REMEMBER} (and reloaded on open from the files of that many days), and a letter
 * whose key was written already is not written again. The start of an oversize body is kept,
 * {@code bodyBytes} says how long the whole was.
 *
 * <p>Thread-safe: writes are serialised; the counters may be read from any thread.
 */
public final class DeadLetters implements Closeable {

    /** A dead-letter file is continued in a new one before it passes {@value} bytes (64 MiB). */
    public static final long DEFAULT_MAX_FILE_BYTES = 64L * 1024 * 1024;
    /** How long the message-ids of written dead letters are remembered, against redeliveries: 2 days. */
    public static final Duration DEFAULT_REMEMBER = Duration.ofDays(2);

    private static final String PREFIX = "deadletter-";
    private static final String SUFFIX = ".log";
    private static final Pattern NAME = Pattern.compile("deadletter-(\\d{8})(?:-(\\d+))?\\.log");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

    private final Path directory;
    private final long maxBodyBytes;
    private final long maxFileBytes;
    private final Clock clock;
    private final Status status;
    private final JsonFactory json = new JsonFactory();
    private final Map<DeadLetterReason, LongAdder> counts = new EnumMap<>(DeadLetterReason.class);
    private final ExpiringSet written; // guarded by this

    private FileChannel channel;
    private Path currentFile;
    private String currentDay;
    private int sequence;
    private long size;

    private DeadLetters(Path directory, long maxBodyBytes, long maxFileBytes, Clock clock, Status status) {
        this.directory = directory;
        this.maxBodyBytes = maxBodyBytes;
        this.maxFileBytes = maxFileBytes;
        this.clock = clock;
        this.status = status;
        this.written = new ExpiringSet(clock, DEFAULT_REMEMBER);
        for (DeadLetterReason r : DeadLetterReason.values()) {
            counts.put(r, new LongAdder());
        }
    }

    /** Dead letters in {@code directory} (created if needed), with the default file size and the system clock. */
    public static DeadLetters open(Path directory, long maxBodyBytes, Status status) throws IOException {
        return open(directory, maxBodyBytes, DEFAULT_MAX_FILE_BYTES, Clock.systemUTC(), status);
    }

    /**
     * @param maxBodyBytes at most this much of a body is kept (the collector's {@code maxMessageBytes})
     * @param clock        decides the day in the file name
     */
    public static DeadLetters open(Path directory, long maxBodyBytes, long maxFileBytes, Clock clock, Status status)
            throws IOException {
        if (maxBodyBytes < 0 || maxBodyBytes > Integer.MAX_VALUE - 8 || maxFileBytes <= 0) {
            throw new IllegalArgumentException("maxBodyBytes " + maxBodyBytes + ", maxFileBytes " + maxFileBytes);
        }
        FileModes.createDirectories(directory);
        DeadLetters letters = new DeadLetters(directory, maxBodyBytes, maxFileBytes, clock, status);
        letters.loadWrittenIds();
        return letters;
    }

    /** Appends one dead letter and fsyncs it. */
    public void write(DeadLetter letter) throws IOException {
        writeAll(List.of(letter));
    }

    /**
     * Appends the dead letters of a batch and fsyncs them once. When this throws, none of them may
     * be acknowledged; a line cut short by the failure is cut off again.
     */
    public synchronized void writeAll(List<DeadLetter> all) throws IOException {
        List<DeadLetter> letters = new ArrayList<>(all.size());
        Set<String> keys = new HashSet<>();
        for (DeadLetter letter : all) {
            String key = letter.key();
            if (key == null || (!written.contains(key) && keys.add(key))) {
                letters.add(letter);
            }
        }
        if (letters.isEmpty()) {
            return;
        }
        List<byte[]> lines = new ArrayList<>(letters.size());
        for (DeadLetter letter : letters) {
            lines.add(encode(letter));
        }
        for (byte[] line : lines) {
            ensureFile(line.length);
            long before = size;
            try {
                ByteBuffer buffer = ByteBuffer.wrap(line);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                size += line.length;
            } catch (IOException e) {
                abandonFile(before);
                throw e;
            }
        }
        try {
            channel.force(false);
        } catch (IOException e) {
            abandonFile(size);
            throw e;
        }
        keys.forEach(written::add);
        for (DeadLetter letter : letters) {
            LongAdder counter = counts.get(letter.reason());
            counter.increment();
            report(letter, counter.sum());
        }
    }

    /** Dead letters written for {@code reason} since this instance was opened. */
    public long count(DeadLetterReason reason) {
        return counts.get(reason).sum();
    }

    /** Every reason with its count (zeros included), in declaration order. */
    public Map<DeadLetterReason, Long> counts() {
        Map<DeadLetterReason, Long> result = new EnumMap<>(DeadLetterReason.class);
        counts.forEach((r, c) -> result.put(r, c.sum()));
        return result;
    }

    public long total() {
        long sum = 0;
        for (LongAdder c : counts.values()) {
            sum += c.sum();
        }
        return sum;
    }

    public Path directory() {
        return directory;
    }

    /** The file being written, or null before the first dead letter. */
    public synchronized Path currentFile() {
        return currentFile;
    }

    @Override
    public synchronized void close() throws IOException {
        if (channel != null) {
            try {
                channel.close();
            } finally {
                channel = null;
            }
        }
    }

    private void report(DeadLetter letter, long n) {
        // 1st, 10th, 100th, ...: an operator learns of trouble without a flood of status lines.
        long p = 1;
        while (p < n && p <= Long.MAX_VALUE / 10) {
            p *= 10;
        }
        if (p == n) {
            status.warn("dead letter #" + n + " (" + letter.reason().label() + ") from " + letter.broker() + " "
                    + letter.destination() + (letter.detail() == null ? "" : ": " + clean(letter.detail()))
                    + "; see " + currentFile, null);
        }
    }

    private void ensureFile(int lineLength) throws IOException {
        String today = DAY.format(clock.instant());
        if (channel != null && today.equals(currentDay) && (size == 0 || size + lineLength <= maxFileBytes)) {
            return;
        }
        if (channel != null) {
            channel.force(false);
            channel.close();
            channel = null;
            sequence = today.equals(currentDay) ? sequence + 1 : highestSequence(today);
        } else {
            sequence = highestSequence(today);
        }
        currentDay = today;
        while (true) {
            Path file = directory.resolve(PREFIX + today + (sequence == 0 ? "" : "-" + sequence) + SUFFIX);
            boolean existed = Files.exists(file);
            long existing = existed ? Files.size(file) : 0;
            if (existing > 0 && existing + lineLength > maxFileBytes) {
                sequence++;
                continue;
            }
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            if (!existed) {
                FileModes.inherit(file);
            }
            currentFile = file;
            size = channel.size();
            if (!existed) {
                syncDirectory();
            }
            return;
        }
    }

    /** The message-ids of the letters written in the last {@link #DEFAULT_REMEMBER}, from the files of those days. */
    private synchronized void loadWrittenIds() throws IOException {
        Instant since = clock.instant().minus(DEFAULT_REMEMBER);
        String firstDay = DAY.format(since);
        List<Path> recent = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, PREFIX + "*" + SUFFIX)) {
            for (Path f : files) {
                Matcher m = NAME.matcher(f.getFileName().toString());
                if (m.matches() && m.group(1).compareTo(firstDay) >= 0) {
                    recent.add(f);
                }
            }
        }
        for (Path f : recent) {
            try (BufferedReader lines = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                String line;
                while ((line = lines.readLine()) != null) {
                    rememberWritten(line);
                }
            } catch (IOException e) {
                status.warn("cannot read the message-ids of " + f + "; a redelivery of one of its letters"
                        + " would be written again", e);
            }
        }
    }

    private void rememberWritten(String line) {
        try (JsonParser p = json.createParser(line)) {
            String rts = null;
            String id = null;
            int lineNumber = 0;
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.getCurrentName();
                JsonToken value = p.nextToken();
                if (field.equals("rts")) {
                    rts = p.getText();
                } else if (field.equals("line") && value == JsonToken.VALUE_NUMBER_INT) {
                    lineNumber = p.getIntValue();
                } else if (field.equals("headers") && value == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String name = p.getCurrentName();
                        p.nextToken();
                        if (name.equals("message-id")) {
                            id = p.getText();
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
            if (id != null && rts != null) {
                written.add(DeadLetter.keyOf(id, lineNumber), Instant.parse(rts));
            }
        } catch (IOException | RuntimeException e) {
            // a torn or foreign line: it names no message to remember
        }
    }

    private int highestSequence(String day) throws IOException {
        int highest = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, PREFIX + day + "*" + SUFFIX)) {
            for (Path f : files) {
                Matcher m = NAME.matcher(f.getFileName().toString());
                if (m.matches() && m.group(1).equals(day) && m.group(2) != null) {
                    highest = Math.max(highest, Integer.parseInt(m.group(2)));
                }
            }
        }
        return highest;
    }

    /** A new file's name must survive a crash as well as its content. */
    private void syncDirectory() {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // Some file systems cannot sync a directory; the file's own fsync is all they offer.
        }
    }

    /** After a failed write: cut back to the last whole line and reopen on the next write. */
    private void abandonFile(long goodSize) {
        try {
            channel.truncate(goodSize);
            channel.close();
        } catch (IOException ignored) {
            // The write failed already; that error is what the caller must hear about.
        }
        channel = null;
    }

    private byte[] encode(DeadLetter letter) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + Math.min(letter.body().length, (int) maxBodyBytes) * 2);
        try (JsonGenerator g = json.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("rts", Timestamps.format(letter.receivedAt()));
            g.writeStringField("broker", clean(letter.broker()));
            g.writeStringField("destination", clean(letter.destination()));
            g.writeStringField("reason", letter.reason().label());
            if (letter.detail() != null) {
                g.writeStringField("detail", clean(letter.detail()));
            }
            if (letter.line() > 0) {
                g.writeNumberField("line", letter.line());
            }
            g.writeObjectFieldStart("headers");
            for (Map.Entry<String, String> h : letter.headers().entrySet()) {
                g.writeStringField(clean(h.getKey()), clean(h.getValue()));
            }
            g.writeEndObject();
            byte[] body = letter.body();
            boolean cut = body.length > maxBodyBytes || letter.bodyBytes() > body.length;
            int keep = (int) Math.min(body.length, maxBodyBytes);
            // A cut may split a multi-byte character; drop its first bytes so valid text stays text.
            int textEnd = keep;
            while (textEnd < body.length && textEnd > 0 && keep - textEnd < 3 && (body[textEnd] & 0xC0) == 0x80) {
                textEnd--;
            }
            String text = strictUtf8(body, textEnd);
            g.writeNumberField("bodyBytes", letter.bodyBytes());
            g.writeBooleanField("bodyTruncated", cut);
            g.writeBooleanField("bodyBase64", text == null);
            if (text != null) {
                g.writeStringField("body", text);
            } else {
                g.writeStringField("body", Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(body, keep)));
            }
            g.writeEndObject();
        }
        out.write('\n');
        return out.toByteArray();
    }

    private static String strictUtf8(byte[] body, int length) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body, 0, length));
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** Header values come from the network: a lone surrogate would make the JSON writer throw. */
    private static String clean(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok;
            if (Character.isHighSurrogate(c)) {
                ok = i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
                if (ok) {
                    if (out != null) {
                        out.append(c).append(s.charAt(i + 1));
                    }
                    i++;
                    continue;
                }
            } else {
                ok = !Character.isLowSurrogate(c);
            }
            if (!ok && out == null) {
                out = new StringBuilder(s.length()).append(s, 0, i);
            }
            if (out != null) {
                out.append(ok ? c : '\uFFFD');
            }
        }
        return out == null ? s : out.toString();
    }
}
