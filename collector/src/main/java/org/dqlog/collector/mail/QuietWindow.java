package org.dqlog.collector.mail;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A recurring local-time window in which mails of a routing rule are held (not dropped) and sent
 * when it ends. Written {@code [DAYS ]HH:MM-HH:MM}: {@code 22:00-07:00} (every night, across
 * midnight), {@code Mon-Fri 18:00-08:00}, {@code Sat,Sun 00:00-24:00}. The days name the day on
 * which a window <em>begins</em>, so {@code Fri 22:00-07:00} holds from Friday night until
 * Saturday 07:00. An end at or before the start means the window runs past midnight.
 *
 * <p>Immutable, so thread-safe.
 */
public final class QuietWindow {

    private static final Pattern SYNTAX = Pattern.compile(
            "\\s*(?:([A-Za-z,\\-\\s]+?)\\s+)?(\\d{1,2}:\\d{2})\\s*-\\s*(\\d{1,2}:\\d{2})\\s*");

    private final String text;
    private final Set<DayOfWeek> days;
    private final LocalTime start;
    /** Null means 24:00, the end of the start day. */
    private final LocalTime end;

    private QuietWindow(String text, Set<DayOfWeek> days, LocalTime start, LocalTime end) {
        this.text = text.trim();
        this.days = days;
        this.start = start;
        this.end = end;
    }

    /**
     * @throws IllegalArgumentException with the offending text, if it is not a quiet window
     */
    public static QuietWindow parse(String text) {
        Matcher m = SYNTAX.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a quiet window (want e.g. 'Mon-Fri 22:00-07:00'): " + text);
        }
        Set<DayOfWeek> days = m.group(1) == null ? EnumSet.allOf(DayOfWeek.class) : parseDays(m.group(1), text);
        LocalTime start = parseTime(m.group(2), text);
        if (start == null) {
            throw new IllegalArgumentException("a quiet window cannot start at 24:00: " + text);
        }
        return new QuietWindow(text, days, start, parseTime(m.group(3), text));
    }

    /**
     * If {@code now} lies inside this window, the instant the window ends; otherwise empty.
     * Local times are read in {@code zone}; daylight-saving gaps and overlaps resolve as
     * {@link LocalDateTime#atZone} does.
     */
    public Optional<Instant> endIfInside(Instant now, ZoneId zone) {
        LocalDateTime local = LocalDateTime.ofInstant(now, zone);
        // A window that crosses midnight may have begun yesterday.
        for (LocalDate day : new LocalDate[] {local.toLocalDate().minusDays(1), local.toLocalDate()}) {
            if (!days.contains(day.getDayOfWeek())) {
                continue;
            }
            LocalDateTime from = day.atTime(start);
            LocalDateTime to = end == null ? day.plusDays(1).atStartOfDay()
                    : end.isAfter(start) ? day.atTime(end) : day.plusDays(1).atTime(end);
            if (!local.isBefore(from) && local.isBefore(to)) {
                return Optional.of(to.atZone(zone).toInstant());
            }
        }
        return Optional.empty();
    }

    private static Set<DayOfWeek> parseDays(String spec, String text) {
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String part : spec.split(",")) {
            String[] range = part.trim().split("\\s*-\\s*");
            if (range.length == 1) {
                days.add(day(range[0], text));
            } else if (range.length == 2) {
                DayOfWeek d = day(range[0], text);
                DayOfWeek last = day(range[1], text);
                days.add(d);
                while (d != last) {
                    d = d.plus(1);
                    days.add(d);
                }
            } else {
                throw new IllegalArgumentException("bad day range '" + part + "' in quiet window: " + text);
            }
        }
        return days;
    }

    private static DayOfWeek day(String name, String text) {
        String n = name.trim().toUpperCase(Locale.ROOT);
        if (n.length() >= 3) {
            for (DayOfWeek d : DayOfWeek.values()) {
                if (d.name().startsWith(n)) {
                    return d;
                }
            }
        }
        throw new IllegalArgumentException("unknown day '" + name + "' in quiet window: " + text);
    }

    private static LocalTime parseTime(String hhmm, String text) {
        if (hhmm.equals("24:00")) {
            return null;
        }
        try {
            return LocalTime.parse(hhmm.length() == 4 ? "0" + hhmm : hhmm);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("bad time '" + hhmm + "' in quiet window: " + text, e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QuietWindow && ((QuietWindow) o).text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
