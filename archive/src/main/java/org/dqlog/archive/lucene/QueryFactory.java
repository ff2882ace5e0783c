package org.dqlog.archive.lucene;

import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TermRangeQuery;
import org.apache.lucene.search.WildcardQuery;
import org.dqlog.archive.lucene.IndexSchema;
import org.dqlog.archive.search.Filters;
import org.dqlog.archive.search.SearchException;
import org.dqlog.core.Level;

/**
 * Builds the Lucene query of a search: the user's query (Lucene syntax, default field
 * {@code message}, words joined by AND) and the filters as non-scoring clauses.
 *
 * <p>Stateless, so thread-safe.
 */
public final class QueryFactory {

    private static final Pattern COLUMN = Pattern.compile("line \\d+, column (\\d+)");

    private QueryFactory() { }

    /** The query matching {@code userQuery} (null or blank: every record) and the filters. */
    public static Query build(String userQuery, Filters filters, Instant now) {
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        Query user = userQuery == null || userQuery.isBlank() ? null : parse(userQuery, now);
        b.add(user == null ? new MatchAllDocsQuery() : user, user == null ? Occur.FILTER : Occur.MUST);
        if (filters.since() != null || filters.until() != null) {
            long from = filters.since() == null ? Long.MIN_VALUE : IndexSchema.micros(filters.since());
            long to = filters.until() == null ? Long.MAX_VALUE : IndexSchema.micros(filters.until()) - 1;
            b.add(LongPoint.newRangeQuery(IndexSchema.TS, from, to), Occur.FILTER);
        }
        addGlobs(b, filters.hosts(), IndexSchema.HOST, IndexSchema.HOST_DIR);
        addGlobs(b, filters.apps(), IndexSchema.APP);
        addGlobs(b, filters.loggers(), IndexSchema.LOGGER);
        if (filters.minLevel() != null) {
            b.add(levelAtLeast(filters.minLevel()), Occur.FILTER);
        }
        if (filters.panicsOnly()) {
            b.add(new TermQuery(new Term(IndexSchema.PANIC, "true")), Occur.FILTER);
        }
        return b.build();
    }

    /**
     * Parses a user query.
     *
     * @throws SearchException "bad query at position N: ..." (N counts characters from 1)
     */
    public static Query parse(String text, Instant now) {
        QueryParser parser = new RecordQueryParser(now);
        parser.setDefaultOperator(QueryParser.Operator.AND);
        parser.setAllowLeadingWildcard(true);
        try {
            return matchAllIfOnlyNegative(parser.parse(text));
        } catch (ParseException e) {
            throw new SearchException(describe(text, e));
        } catch (IndexSearcher.TooManyClauses e) {
            throw new SearchException("bad query: it expands to too many terms (narrow the wildcard): '" + text + "'");
        }
    }

    /** Lucene matches nothing for {@code NOT x} alone; a user means "everything but x". */
    private static Query matchAllIfOnlyNegative(Query q) {
        if (q instanceof BooleanQuery bq && !bq.clauses().isEmpty()
                && bq.clauses().stream().allMatch(c -> c.getOccur() == Occur.MUST_NOT)) {
            BooleanQuery.Builder b = new BooleanQuery.Builder();
            b.add(new MatchAllDocsQuery(), Occur.FILTER);
            for (BooleanClause c : bq.clauses()) {
                b.add(c);
            }
            return b.build();
        }
        return q;
    }

    static String describe(String text, ParseException e) {
        Throwable detail = e.getCause() != null ? e.getCause() : e;
        String message = detail.getMessage() == null ? "" : detail.getMessage();
        String first = message.lines().findFirst().orElse("").strip();
        Matcher m = COLUMN.matcher(message);
        String where = m.find() ? " at position " + m.group(1) : "";
        String what = first.replaceAll("\\s*at line \\d+, column \\d+\\.?", "")
                .replaceAll("^Cannot parse '.*?': ", "")
                .replaceAll("\\s+", " ").strip();
        if (what.startsWith("Encountered \"<EOF>\"") || what.startsWith("Encountered <EOF>")) {
            what = "unexpected end of query";
        }
        return "bad query" + where + ": " + what + " in '" + text + "'";
    }

    private static void addGlobs(BooleanQuery.Builder b, List<String> globs, String... fields) {
        if (globs.isEmpty()) {
            return;
        }
        BooleanQuery.Builder any = new BooleanQuery.Builder();
        for (String glob : globs) {
            for (String field : fields) {
                any.add(glob(field, glob), Occur.SHOULD);
            }
        }
        b.add(any.build(), Occur.FILTER);
    }

    /** A glob ({@code *}, {@code ?}) on a keyword field, lower-cased as the index holds it. */
    static Query glob(String field, String glob) {
        String value = IndexSchema.HOST_DIR.equals(field) ? glob : IndexSchema.keywordValue(glob);
        if (value.indexOf('*') < 0 && value.indexOf('?') < 0) {
            return new TermQuery(new Term(field, value.replace("\\", "")));
        }
        return new WildcardQuery(new Term(field, value));
    }

    /** {@code level} or above; a panic without a level counts as FATAL. */
    static Query levelAtLeast(Level min) {
        BooleanQuery.Builder unlevelledPanic = new BooleanQuery.Builder()
                .add(new TermQuery(new Term(IndexSchema.PANIC, "true")), Occur.FILTER)
                .add(TermRangeQuery.newStringRange(IndexSchema.LEVEL, null, null, true, true), Occur.MUST_NOT);
        return new BooleanQuery.Builder()
                .add(IntPoint.newRangeQuery(IndexSchema.LEVEL_NUM, min.ordinal(), Level.FATAL.ordinal()), Occur.SHOULD)
                .add(unlevelledPanic.build(), Occur.SHOULD)
                .build();
    }
}
