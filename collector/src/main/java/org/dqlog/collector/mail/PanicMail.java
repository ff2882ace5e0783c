package org.dqlog.collector.mail;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.dqlog.core.LogRecord;

/**
 * One mail about panics, ready for SMTP: recipients, subject and a plain-text UTF-8 body, and
 * the static rules that turn records into that text.
 *
 * <p>Subject: {@code <prefix> <host> <app>: <first line of the message, cut to 120 characters>},
 * with {@code (xN)} appended when the mail stands for N coalesced panics. Every header value is
 * stripped of control and line-separator characters, so a record's message cannot add headers.
 * The body lists the message, host, app, pid, logger, level, time (UTC, and the producer's
 * local {@code usrtime}), command and arguments, working directory, traceback, exception stack,
 * MDC and record id; fields a producer did not send are left out.
 *
 * <p>Immutable, so thread-safe.
 */
public final class PanicMail {

    /** What a mail stands for; sent as the {@code X-Dqlog-Kind} header. */
    public enum Kind {
        /** One panic, or several identical ones that were held together ({@code (xN)}). */
        PANIC,
        /** "N more times since ...": the rest of a storm whose first panic was mailed already. */
        FOLLOW_UP,
        /** Several different panics held back by the rate limit or a quiet window. */
        DIGEST
    }

    /** Longest message part of a subject, in characters. */
    public static final int SUBJECT_MESSAGE_MAX_CHARS = 120;
    /** Host shown for a record that names none (as the collector files such records). */
    public static final String UNKNOWN_HOST = "unknown-host";
    /** App shown for a record that names neither an app nor a command. */
    public static final String UNKNOWN_APP = "unknown-app";

    private static final Pattern HEADER_UNSAFE = Pattern.compile("[\\p{Cc}\\p{Zl}\\p{Zp}\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069]");
    private static final DateTimeFormatter UTC = DateTimeFormatter.ISO_INSTANT;

    private final List<String> recipients;
    private final String subject;
    private final String body;
    private final Kind kind;
    private final int panicCount;

    PanicMail(List<String> recipients, String subject, String body, Kind kind, int panicCount) {
        this.recipients = List.copyOf(recipients);
        this.subject = headerSafe(subject);
        this.body = body;
        this.kind = kind;
        this.panicCount = panicCount;
    }

    public List<String> recipients() { return recipients; }
    /** Already header-safe: no control or line-separator characters. */
    public String subject() { return subject; }
    public String body() { return body; }
    public Kind kind() { return kind; }
    /** How many panics this mail stands for. */
    public int panicCount() { return panicCount; }

    // ---------------------------------------------------------------- single panic (or storm)

    /** The mail for one notice: a panic, a storm follow-up, or identical panics held together. */
    static PanicMail of(Notice n, MailSettings settings) {
        StringBuilder body = new StringBuilder();
        if (n.followUp()) {
            body.append("This panic happened ").append(n.count()).append(" more time").append(n.count() == 1 ? "" : "s")
                    .append(" since ").append(UTC.format(n.since()))
                    .append(" (last seen ").append(UTC.format(n.last())).append(").\n")
                    .append("Its first occurrence was mailed before. The latest occurrence:\n\n");
        } else if (n.count() > 1) {
            body.append("This panic happened ").append(n.count()).append(" times from ")
                    .append(UTC.format(n.since())).append(" to ").append(UTC.format(n.last()))
                    .append(heldNote(n)).append(". The latest occurrence:\n\n");
        } else if (n.heldReason() != null) {
            body.append("(Held back ").append(n.heldReason()).append(".)\n\n");
        }
        body.append(details(n.latest()));
        if (!n.followUp() && !settings.stormWindow().isZero()) {
            // Says what the next mail will be, so that a quiet inbox during a storm is not a surprise.
            body.append("\n-- \nMore panics like this one (same host, app and message) within ")
                    .append(spelledOut(settings.stormWindow())).append(" are counted in one follow-up mail.\n");
        }
        Kind kind = n.followUp() ? Kind.FOLLOW_UP : Kind.PANIC;
        boolean coalesced = n.followUp() || n.count() > 1;
        return new PanicMail(n.route().recipients(), subject(settings.subjectPrefix(), n.latest(), coalesced ? n.count() : 1),
                body.toString(), kind, n.count());
    }

    /** {@code 10 minutes}, {@code 1 hour}, {@code 90 seconds}: the largest whole unit. */
    static String spelledOut(Duration d) {
        long seconds = d.getSeconds();
        if (seconds % 3600 == 0 && seconds > 0) {
            return plural(seconds / 3600, "hour");
        }
        if (seconds % 60 == 0 && seconds > 0) {
            return plural(seconds / 60, "minute");
        }
        return seconds > 0 ? plural(seconds, "second") : d.toMillis() + " ms";
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }

    private static String heldNote(Notice n) {
        return n.heldReason() == null ? "" : ", held back " + n.heldReason();
    }

    /**
     * {@code <prefix> <host> <app>: <first line of message>} plus {@code (xN)} when
     * {@code count > 1}; header-safe.
     */
    public static String subject(String prefix, LogRecord r, int count) {
        String line = headerSafe(firstLine(r.message()));
        if (line.isBlank()) {
            line = "(no message)";
        }
        String text = prefix + " " + displayHost(r) + " " + displayApp(r) + ": " + cut(line.strip(), SUBJECT_MESSAGE_MAX_CHARS);
        return headerSafe(count > 1 ? text + " (x" + count + ")" : text);
    }

    /** Everything an on-call expert needs about one panic, as plain text lines. */
    public static String details(LogRecord r) {
        StringBuilder b = new StringBuilder();
        String message = r.message() == null || r.message().isEmpty() ? "(no message)" : r.message();
        b.append(bodySafe(message)).append("\n\n");
        field(b, "Host", displayHost(r));
        field(b, "App", r.app() != null && !r.app().isBlank() ? r.app() : displayApp(r) + " (no app given)");
        field(b, "PID", r.pid() == null ? null : r.pid().toString());
        field(b, "Thread", r.thread());
        field(b, "Logger", r.logger());
        field(b, "Level", r.level() == null ? null : r.level().name());
        Instant when = eventTime(r);
        field(b, "Time (UTC)", when == null ? null : UTC.format(when));
        field(b, "Local time", r.usrtime());
        field(b, "Received", r.rts() == null ? null : UTC.format(r.rts()));
        field(b, "Command", r.command());
        field(b, "Arguments", r.arguments().isEmpty() ? null : shellWords(r.arguments()));
        if (r.command() != null && !r.arguments().isEmpty()) {
            field(b, "Command line", shellWords(List.of(r.command())) + " " + shellWords(r.arguments()));
        }
        field(b, "Directory", r.cwd());
        field(b, "Record id", r.id());
        if (r.truncated()) {
            field(b, "Note", "the producer truncated this record");
        }
        // A Java producer fills the Python-style traceback from the exception's stack (for the
        // fleet's older consumers): print the stack once, under the exception.
        boolean stackUnderException = r.exception() != null && !r.exception().stackTrace().isEmpty();
        if (!r.traceback().isEmpty() && !stackUnderException) {
            b.append("\nTraceback:\n");
            for (String frame : r.traceback()) {
                b.append(bodySafe(frame));
                if (!frame.endsWith("\n")) {
                    b.append('\n');
                }
            }
        }
        if (r.exception() != null) {
            b.append("\nException: ").append(bodySafe(r.exception().toString())).append('\n');
            if (!r.exception().stackTrace().isEmpty()) {
                b.append(bodySafe(r.exception().stackTrace()));
                if (!r.exception().stackTrace().endsWith("\n")) {
                    b.append('\n');
                }
            }
        }
        if (!r.mdc().isEmpty()) {
            b.append("\nMDC:\n");
            r.mdc().forEach((k, v) -> b.append("  ").append(bodySafe(k)).append(" = ").append(bodySafe(v)).append('\n'));
        }
        return b.toString();
    }

    // ---------------------------------------------------------------- digest

    /** One mail listing held-back notices, one line per distinct panic, at most {@code maxEntries}. */
    static PanicMail digest(List<Notice> notices, MailSettings settings) {
        Map<StormKey, Notice> byKey = new LinkedHashMap<>();
        List<String> reasons = new ArrayList<>();
        int total = 0;
        for (Notice n : notices) {
            total += n.count();
            byKey.merge(n.key(), n.copy(), Notice::mergedWith);
            if (n.heldReason() != null && !reasons.contains(n.heldReason())) {
                reasons.add(n.heldReason());
            }
        }
        StringBuilder b = new StringBuilder();
        b.append(total).append(" panic").append(total == 1 ? "" : "s").append(" of ").append(byKey.size())
                .append(" kind").append(byKey.size() == 1 ? "" : "s").append(" held back ")
                .append(reasons.isEmpty() ? "" : String.join(" and ", reasons)).append(".\n")
                .append("Every panic is archived in full; find one with: dqlog search --host HOST --level FATAL\n\n")
                .append(String.format("%7s  %-24s  %-24s  %s%n", "Count", "First seen (UTC)", "Last seen (UTC)", "Host App: Message"));
        int listed = 0;
        int unlistedPanics = 0;
        for (Notice n : byKey.values()) {
            if (listed == settings.digestMaxEntries()) {
                unlistedPanics += n.count();
                continue;
            }
            listed++;
            LogRecord r = n.latest();
            b.append(String.format("%7d  %-24s  %-24s  %s %s: %s%n", n.count(), UTC.format(n.since()), UTC.format(n.last()),
                    bodySafe(displayHost(r)), bodySafe(displayApp(r)),
                    bodySafe(cut(firstLine(r.message()).strip(), SUBJECT_MESSAGE_MAX_CHARS))));
        }
        if (listed < byKey.size()) {
            b.append("... and ").append(byKey.size() - listed).append(" more kinds (").append(unlistedPanics)
                    .append(" panics).\n");
        }
        String subject = settings.subjectPrefix() + " digest: " + total + " panic" + (total == 1 ? "" : "s")
                + " (" + byKey.size() + " kind" + (byKey.size() == 1 ? "" : "s") + ") held back";
        return new PanicMail(notices.get(0).route().recipients(), subject, b.toString(), Kind.DIGEST, total);
    }

    // ---------------------------------------------------------------- text helpers

    /** The host a record is filed under: its host, or {@value #UNKNOWN_HOST}; header-safe. */
    public static String displayHost(LogRecord r) {
        String h = r.host() == null ? "" : headerSafe(r.host()).strip();
        return h.isEmpty() ? UNKNOWN_HOST : h;
    }

    /**
     * The app a panic is shown and routed under: its app; else the file name of its command (the
     * Python tooling names no app, but its script says what failed); else {@value #UNKNOWN_APP}.
     * Header-safe.
     */
    public static String displayApp(LogRecord r) {
        String a = r.app() == null ? "" : headerSafe(r.app()).strip();
        if (!a.isEmpty()) {
            return a;
        }
        String c = r.command() == null ? "" : headerSafe(r.command()).strip();
        int slash = c.lastIndexOf('/');
        c = slash >= 0 ? c.substring(slash + 1) : c;
        return c.isEmpty() ? UNKNOWN_APP : c;
    }

    /** Replaces every control, line- and paragraph-separator and bidi-override character by a space. */
    public static String headerSafe(String s) {
        return s == null ? "" : HEADER_UNSAFE.matcher(s).replaceAll(" ");
    }

    /** Event time: the producer's {@code ts}, else the Python {@code time} (epoch seconds). */
    static Instant eventTime(LogRecord r) {
        if (r.ts() != null) {
            return r.ts();
        }
        if (r.time() == null || r.time().isNaN() || r.time().isInfinite()) {
            return null;
        }
        double t = r.time();
        long seconds = (long) Math.floor(t);
        return Instant.ofEpochSecond(seconds, Math.round((t - seconds) * 1_000_000) * 1000L);
    }

    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n' || c == '\r' || c == '\u2028' || c == '\u2029' || c == '\u0085') {
                return s.substring(0, i);
            }
        }
        return s;
    }

    /** Cuts to {@code max} characters without splitting a surrogate pair, marking the cut with an ellipsis. */
    static String cut(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int end = max - 1;
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end) + "\u2026";
    }

    /** Body text: line ends normalised to LF, other control characters shown as {@code \\uXXXX}. */
    static String bodySafe(String s) {
        if (s == null) {
            return "";
        }
        String t = s.replace("\r\n", "\n").replace('\r', '\n');
        StringBuilder b = null;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            boolean bad = Character.isISOControl(c) && c != '\n' && c != '\t';
            if (bad && b == null) {
                b = new StringBuilder(t.length() + 16).append(t, 0, i);
            }
            if (b != null) {
                if (bad) {
                    b.append(String.format("\\u%04x", (int) c));
                } else {
                    b.append(c);
                }
            }
        }
        return b == null ? t : b.toString();
    }

    private static void field(StringBuilder b, String name, String value) {
        if (value != null && !value.isEmpty()) {
            b.append(String.format("%-14s", name + ":")).append(bodySafe(value).replace("\n", "\n              ")).append('\n');
        }
    }

    /** Arguments as a POSIX shell would need them typed, so they can be pasted back. */
    static String shellWords(List<String> words) {
        StringBuilder b = new StringBuilder();
        for (String w : words) {
            if (b.length() > 0) {
                b.append(' ');
            }
            if (!w.isEmpty() && w.matches("[A-Za-z0-9_./=:,+@%^-]+")) {
                b.append(w);
            } else {
                b.append('\'').append(w.replace("'", "'\\''")).append('\'');
            }
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return "PanicMail[" + kind + " x" + panicCount + " to " + recipients + ": " + subject + "]";
    }
}
