package org.dqlog.core.subscribe;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How often the handler failed on each message of one broker, by {@code message-id}, across
 * sessions (a failure closes the session and the broker redelivers the message on the next one).
 * Only the {@value #REMEMBERED} messages that failed last are remembered: a handler failing on
 * more distinct messages at once is broken as a whole, which no message is to blame for.
 *
 * <p>Thread-safe: the reader threads of consecutive sessions may overlap briefly.
 */
final class FailedAttempts {

    static final int REMEMBERED = 1024;

    private final int maxAttempts;
    private final Map<String, Failure> byMessageId = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Failure> eldest) {
            return size() > REMEMBERED;
        }
    };

    private static final class Failure {
        final int count;
        final Exception last;

        Failure(int count, Exception last) {
            this.count = count;
            this.last = last;
        }
    }

    FailedAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    /** The last failure if the handler failed on this message {@code maxAttempts} times, else null. */
    synchronized Exception exhausted(String messageId) {
        Failure f = messageId == null ? null : byMessageId.get(messageId);
        return f != null && f.count >= maxAttempts ? f.last : null;
    }

    /** @return how often the handler failed on this message now */
    synchronized int failed(String messageId, Exception cause) {
        if (messageId == null) {
            return 1;
        }
        Failure before = byMessageId.get(messageId);
        int count = before == null ? 1 : before.count + 1;
        byMessageId.put(messageId, new Failure(count, cause));
        return count;
    }

    synchronized void succeeded(String messageId) {
        if (messageId != null) {
            byMessageId.remove(messageId);
        }
    }
}
