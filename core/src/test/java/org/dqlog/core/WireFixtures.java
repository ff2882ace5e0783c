package org.dqlog.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Messages from the wire in shared/fixtures ({@code {"headers": {...}, "body": "..."}}): read from
 * the shared folder beside the repository when it is there, else from the copy in the test
 * resources, so that the tests never depend on a folder outside the module.
 */
final class WireFixtures {

    static final String PANIC_PYTHON = "panic-python.stomp.json";
    static final String PROGRESS_RUN_END = "progress-runend.stomp.json";
    static final String PROGRESS_WEB_DISPLAY = "progress-webdisplay.stomp.json";

    /** Headers and body of one message. */
    static final class Message {
        final Map<String, String> headers;
        final byte[] body;

        Message(Map<String, String> headers, byte[] body) {
            this.headers = Collections.unmodifiableMap(headers);
            this.body = body;
        }

        /** The headers plus one more, as the broker adds {@code message-id} on delivery. */
        Map<String, String> headersWith(String name, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put(name, value);
            return h;
        }
    }

    private WireFixtures() { }

    static Message load(String name) {
        try (InputStream in = open(name)) {
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException("fixture " + name, e);
        }
    }

    private static InputStream open(String name) throws IOException {
        Path shared = Paths.get("").toAbsolutePath().getParent().getParent()
                .resolve("shared").resolve("fixtures").resolve(name);
        if (Files.isRegularFile(shared)) {
            return Files.newInputStream(shared);
        }
        InputStream copy = WireFixtures.class.getResourceAsStream("/fixtures/" + name);
        if (copy == null) {
            throw new IOException("fixture " + name + " neither in " + shared + " nor in test resources");
        }
        return copy;
    }

    private static Message parse(InputStream in) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        String body = null;
        try (JsonParser p = new JsonFactory().createParser(in)) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (field.equals("headers")) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String name = p.currentName();
                        p.nextToken();
                        headers.put(name, p.getText());
                    }
                } else if (field.equals("body")) {
                    body = p.getText();
                } else {
                    p.skipChildren();
                }
            }
        }
        if (body == null) {
            throw new IOException("fixture without a body");
        }
        return new Message(headers, body.getBytes(StandardCharsets.UTF_8));
    }
}
