package org.dqlog.core;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Record ids of one producer instance (one appender, one {@code dqlog} command): the instance's
 * random id, a dash and a sequence number, such as {@code k3q7vz0m2h5c-42}. The collector
 * deduplicates on the id, so two instances must never share one: the instance id is 60 random
 * bits, which makes a clash between a million producers about as likely as one in two million.
 * It is random, not derived from host or time, so it tells nothing about the producer.
 *
 * <p>Thread-safe: any number of threads may call {@link #next()}.
 */
public final class RecordIds {

    /** Length of a random instance id: 12 base-32 characters, 60 bits. */
    public static final int INSTANCE_ID_CHARS = 12;

    /** Crockford's base 32 in lower case: URL- and file-name-safe, without the misread i, l, o, u. */
    private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String instanceId;
    private final AtomicLong sequence = new AtomicLong();

    /** A new producer instance with a fresh random id. */
    public RecordIds() {
        this(randomInstanceId());
    }

    /** A producer instance with a given id (tests; a caller that persists its id). */
    public RecordIds(String instanceId) {
        if (instanceId == null || instanceId.isEmpty() || instanceId.indexOf(':') >= 0) {
            throw new IllegalArgumentException("instance id must be non-empty and without ':'"
                    + " (ids with a colon are the collector's own, such as msgid:...)");
        }
        this.instanceId = instanceId;
    }

    public String instanceId() {
        return instanceId;
    }

    /** The next id: instance id, '-', sequence number from 1. */
    public String next() {
        return instanceId + '-' + sequence.incrementAndGet();
    }

    /** {@value #INSTANCE_ID_CHARS} random characters of the alphabet above. */
    public static String randomInstanceId() {
        long bits = RANDOM.nextLong();
        char[] id = new char[INSTANCE_ID_CHARS];
        for (int i = 0; i < id.length; i++) {
            id[i] = ALPHABET[(int) (bits & 31)];
            bits >>>= 5;
        }
        return new String(id);
    }

    @Override
    public String toString() {
        return "RecordIds[" + instanceId + ", next " + (sequence.get() + 1) + "]";
    }
}
