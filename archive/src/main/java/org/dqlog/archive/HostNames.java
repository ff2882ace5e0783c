package org.dqlog.archive;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * Turns a host name from the network into the name of its directory under {@code <data>/logs}.
 * The record keeps its original {@code host}; only the directory is sanitised.
 *
 * <p>A good name is kept, lower-cased (host names are case-insensitive): 1 to {@value #MAX_LENGTH}
 * characters of {@code a-z 0-9 . - _}, starting with a letter or digit, without {@code ..}.
 * A missing or blank host goes to {@value #UNKNOWN_HOST}. Anything else goes to
 * {@code _invalid-<slug>-<hash>}: the slug keeps up to {@value #SLUG_LENGTH} harmless characters so
 * an operator recognises it, and the 12 hex digits of SHA-256 over the original name keep
 * different bad names apart. No good name starts with {@code _}, so these places cannot be taken
 * by a host of that name. A directory name never contains {@code /}, {@code \}, NUL or {@code ..}.
 *
 * <p>Stateless, so thread-safe.
 */
public final class HostNames {

    /** Longest directory name kept as it is; longer names count as invalid. */
    public static final int MAX_LENGTH = 64;
    /** Directory of records without a host. */
    public static final String UNKNOWN_HOST = "_unknown-host";
    /** Prefix of the directories of records whose host is no usable directory name. */
    public static final String INVALID_PREFIX = "_invalid-";

    static final int SLUG_LENGTH = 32;
    private static final int HASH_HEX_DIGITS = 12;

    private HostNames() { }

    /** The directory name for {@code host}; never null, never empty, never a path. */
    public static String sanitize(String host) {
        if (host == null || host.isBlank()) {
            return UNKNOWN_HOST;
        }
        String lower = host.toLowerCase(Locale.ROOT);
        if (isGood(lower)) {
            return lower;
        }
        return INVALID_PREFIX + slug(lower) + hash(host);
    }

    /** True if {@code name} is a directory name this class could have produced. */
    public static boolean isDirectoryName(String name) {
        return isGood(name) || name.equals(UNKNOWN_HOST)
                || (name.startsWith(INVALID_PREFIX) && name.length() <= MAX_LENGTH
                && name.chars().allMatch(HostNames::isAllowed) && !name.contains(".."));
    }

    private static boolean isGood(String s) {
        if (s.isEmpty() || s.length() > MAX_LENGTH || s.contains("..")) {
            return false;
        }
        char first = s.charAt(0);
        if (!((first >= 'a' && first <= 'z') || (first >= '0' && first <= '9'))) {
            return false;
        }
        return s.chars().allMatch(HostNames::isAllowed);
    }

    private static boolean isAllowed(int c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
    }

    /** Letters, digits and single dashes of the name, so {@code ../../etc} reads as {@code etc-}. */
    private static String slug(String lower) {
        StringBuilder b = new StringBuilder(SLUG_LENGTH + 1);
        for (int i = 0; i < lower.length() && b.length() < SLUG_LENGTH; i++) {
            char c = lower.charAt(i);
            boolean keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            if (keep) {
                b.append(c);
            } else if (b.length() > 0 && b.charAt(b.length() - 1) != '-') {
                b.append('-');
            }
        }
        if (b.length() > 0 && b.charAt(b.length() - 1) != '-') {
            b.append('-');
        }
        return b.toString();
    }

    private static String hash(String host) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(host.getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder(HASH_HEX_DIGITS);
            for (int i = 0; i < HASH_HEX_DIGITS / 2; i++) {
                hex.append(Character.forDigit((digest[i] >> 4) & 0xf, 16)).append(Character.forDigit(digest[i] & 0xf, 16));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
