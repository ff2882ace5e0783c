package org.dqlog.archive.lucene;

import java.time.Instant;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.Query;
import org.dqlog.archive.lucene.IndexSchema;
import org.dqlog.archive.search.TimeSpec;
import org.dqlog.core.Level;

/**
 * Lucene's classic query parser over the record fields, with the numeric fields made usable:
 * {@code ts:[2026-11-26 TO 2026-11-27}} and {@code rts:[2h TO now]} take the times of
 * {@code --since}, {@code level_num:[3 TO 5]} and {@code level_num:[WARN TO *]} take numbers or
 * level names. Everything else is the standard syntax with {@link IndexSchema#queryAnalyzer()}.
 *
 * <p>Not thread-safe (as QueryParser).
 */
final class RecordQueryParser extends QueryParser {

    private final Instant now;

    RecordQueryParser(Instant now) {
        super(IndexSchema.MESSAGE, IndexSchema.queryAnalyzer());
        this.now = now;
    }

    @Override
    protected Query getRangeQuery(String field, String part1, String part2, boolean startInclusive,
                                  boolean endInclusive) throws ParseException {
        if (IndexSchema.TS.equals(field) || IndexSchema.RTS.equals(field)) {
            long from = part1 == null ? Long.MIN_VALUE : IndexSchema.micros(TimeSpec.parse(field, part1, now));
            long to = part2 == null ? Long.MAX_VALUE : IndexSchema.micros(TimeSpec.parse(field, part2, now));
            from = startInclusive || from == Long.MIN_VALUE ? from : from + 1;
            to = endInclusive || to == Long.MAX_VALUE ? to : to - 1;
            return LongPoint.newRangeQuery(field, from, to);
        }
        if (IndexSchema.LEVEL_NUM.equals(field)) {
            int from = part1 == null ? 0 : levelNumber(part1);
            int to = part2 == null ? Level.FATAL.ordinal() : levelNumber(part2);
            return IntPoint.newRangeQuery(field, startInclusive ? from : from + 1, endInclusive ? to : to - 1);
        }
        return super.getRangeQuery(field, part1, part2, startInclusive, endInclusive);
    }

    @Override
    protected Query getFieldQuery(String field, String queryText, boolean quoted) throws ParseException {
        if (IndexSchema.LEVEL_NUM.equals(field)) {
            return IntPoint.newExactQuery(field, levelNumber(queryText));
        }
        return super.getFieldQuery(field, queryText, quoted);
    }

    private static int levelNumber(String text) throws ParseException {
        Level level = Level.parseOrNull(text);
        if (level != null) {
            return level.ordinal();
        }
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new ParseException("not a level: '" + text + "'");
        }
    }
}
