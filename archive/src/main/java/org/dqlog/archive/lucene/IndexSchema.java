package org.dqlog.archive.lucene;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.DelegatingAnalyzerWrapper;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.core.KeywordTokenizer;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.dqlog.archive.HostNames;
import org.dqlog.core.ExceptionInfo;
import org.dqlog.core.LogRecord;

/**
 * The fields of the log index: one Lucene document per record. {@code dqlog search} queries
 * these names (docs/collector-storage.md lists them) and parses user queries with
 * {@link #queryAnalyzer()}.
 *
 * <p>Keyword fields hold one term each, lower-cased (per code point, as Lucene's
 * {@link LowerCaseFilter} does) and cut to {@value #MAX_KEYWORD_CHARS} characters (Lucene rejects
 * terms over 32 KB, and a hostile producer must not be able to fail a batch): so
 * {@code host:PC-TIER0-*} and {@code level:error} match through the query analyzer, which
 * lower-cases the same way. The exact original values are in the stored {@link #LINE}.
 *
 * <p>Stateless, so thread-safe.
 */
public final class IndexSchema {

    /** Record id; the document's identity ({@code updateDocument} on it). Exact, stored. */
    public static final String ID = "id";
    /** Producer time, microseconds since the epoch: points for ranges, doc values for sorting, stored. */
    public static final String TS = "ts";
    /** Collector receive time, microseconds since the epoch, like {@link #TS}; retention by age uses it. */
    public static final String RTS = "rts";
    /** Host as sent (keyword, lower-cased). */
    public static final String HOST = "host";
    /** The host's directory under logs/ (exact, stored): where the record's file is. */
    public static final String HOST_DIR = "host_dir";
    /** Application name (keyword, lower-cased). */
    public static final String APP = "app";
    /** Process id as decimal text (keyword). */
    public static final String PID = "pid";
    /** Level name (keyword, lower-cased: {@code error}); a panic without a level has none. */
    public static final String LEVEL = "level";
    /** Level as a number for "this level and above": TRACE=0 ... FATAL=5 (int points). */
    public static final String LEVEL_NUM = "level_num";
    /** Logger name (keyword, lower-cased). */
    public static final String LOGGER = "logger";
    /** Thread name (keyword, lower-cased). */
    public static final String THREAD = "thread";
    /** Message, full text (StandardAnalyzer). */
    public static final String MESSAGE = "message";
    /** Exception class, message and whole stack, plus a panic's Python traceback: full text. */
    public static final String EXCEPTION = "exception";
    /** Exception class name (keyword, lower-cased). */
    public static final String EXCEPTION_CLASS = "exception_class";
    /** Record type, {@code log} or {@code panic} (keyword, lower-cased MsgType). */
    public static final String TYPE = "type";
    /** {@code true} or {@code false}: whether the record raised a panic (keyword). */
    public static final String PANIC = "panic";
    /** A panic's command (keyword, lower-cased). */
    public static final String COMMAND = "command";
    /** Prefix of the MDC fields: {@code mdc.<key>} holds the value (keyword, lower-cased). */
    public static final String MDC_PREFIX = "mdc.";
    /** The exact {@link org.dqlog.core.LogLine} of the record (stored only), to print it and run regexes. */
    public static final String LINE = "line";

    /** Longest keyword value indexed; longer ones are cut (the line keeps them whole). */
    public static final int MAX_KEYWORD_CHARS = 4096;

    private static final Set<String> KEYWORD_FIELDS = Set.of(ID, HOST, HOST_DIR, APP, PID, LEVEL, LOGGER,
            THREAD, EXCEPTION_CLASS, TYPE, PANIC, COMMAND);

    private IndexSchema() { }

    /** True for the fields indexed as one lower-cased term ({@link #ID} and {@link #HOST_DIR} are exact). */
    public static boolean isKeyword(String field) {
        return KEYWORD_FIELDS.contains(field) || field.startsWith(MDC_PREFIX);
    }

    /** Microseconds since the epoch, the unit of {@link #TS} and {@link #RTS}. */
    public static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
    }

    /**
     * The analyzer for parsing user queries (for example with Lucene's classic QueryParser):
     * keyword fields as one lower-cased term, everything else with {@link StandardAnalyzer}.
     */
    public static Analyzer queryAnalyzer() {
        return new QueryAnalyzer();
    }

    /** The analyzer the index is written with (for the full-text fields). */
    static Analyzer indexAnalyzer() {
        return new StandardAnalyzer();
    }

    /** The document of a record and its line (public for the ingest benchmark's raw-Lucene baseline). */
    public static Document document(LogRecord r, String line) {
        Document doc = new Document();
        // exact id: the identity that updateDocument replaces on redelivery
        doc.add(new StringField(ID, r.id(), Field.Store.YES));
        // exact directory name, stored: tells the search which files hold the record's neighbours
        doc.add(new StringField(HOST_DIR, HostNames.sanitize(r.host()), Field.Store.YES));
        if (r.ts() != null) {
            addTime(doc, TS, r.ts());
        }
        Instant rts = r.rts() != null ? r.rts() : r.ts();
        if (rts != null) {
            addTime(doc, RTS, rts);
        }
        keyword(doc, HOST, r.host());
        keyword(doc, APP, r.app());
        keyword(doc, PID, r.pid() == null ? null : r.pid().toString());
        if (r.level() != null) {
            keyword(doc, LEVEL, r.level().name());
            // points: "ERROR and above" is a range query, cheaper and clearer than an OR of names
            doc.add(new IntPoint(LEVEL_NUM, r.level().ordinal()));
        }
        keyword(doc, LOGGER, r.logger());
        keyword(doc, THREAD, r.thread());
        keyword(doc, TYPE, r.type());
        keyword(doc, PANIC, Boolean.toString(r.panic()));
        keyword(doc, COMMAND, r.command());
        if (r.message() != null) {
            // full text; not stored: the line holds it
            doc.add(new TextField(MESSAGE, r.message(), Field.Store.NO));
        }
        ExceptionInfo e = r.exception();
        if (e != null) {
            keyword(doc, EXCEPTION_CLASS, e.className());
            doc.add(new TextField(EXCEPTION, e.toString() + "\n" + e.stackTrace(), Field.Store.NO));
        }
        if (!r.traceback().isEmpty()) {
            doc.add(new TextField(EXCEPTION, String.join("", r.traceback()), Field.Store.NO));
        }
        for (Map.Entry<String, String> m : r.mdc().entrySet()) {
            keyword(doc, MDC_PREFIX + m.getKey(), m.getValue());
        }
        // the exact line: search prints it and runs -e regexes on it without reading compressed files
        doc.add(new StoredField(LINE, line));
        return doc;
    }

    /** Lower-cases per code point exactly as {@link LowerCaseFilter}, and cuts to the keyword limit. */
    public static String keywordValue(String value) {
        String cut = value;
        if (cut.length() > MAX_KEYWORD_CHARS) {
            int end = MAX_KEYWORD_CHARS;
            if (Character.isHighSurrogate(cut.charAt(end - 1))) {
                end--;
            }
            cut = cut.substring(0, end);
        }
        StringBuilder b = new StringBuilder(cut.length());
        cut.codePoints().forEach(cp -> b.appendCodePoint(Character.toLowerCase(cp)));
        return b.toString();
    }

    private static void keyword(Document doc, String field, String value) {
        if (value != null) {
            // one lower-cased term: exact and wildcard matches, case-insensitive like host names
            doc.add(new StringField(field, keywordValue(value), Field.Store.NO));
        }
    }

    private static void addTime(Document doc, String field, Instant t) {
        long micros = micros(t);
        doc.add(new LongPoint(field, micros));             // range queries (--since, retention)
        doc.add(new NumericDocValuesField(field, micros)); // sorting by time
        doc.add(new StoredField(field, micros));            // printing without parsing the line
    }

    /** Keyword fields as one lower-cased token, the rest as full text. */
    private static final class QueryAnalyzer extends DelegatingAnalyzerWrapper {
        private final Analyzer text = new StandardAnalyzer();
        private final Analyzer keyword = new Analyzer() {
            @Override
            protected TokenStreamComponents createComponents(String fieldName) {
                Tokenizer source = new KeywordTokenizer();
                return new TokenStreamComponents(source, new LowerCaseFilter(source));
            }

            @Override
            protected TokenStream normalize(String fieldName, TokenStream in) {
                return new LowerCaseFilter(in);
            }
        };
        private final Analyzer exact = new Analyzer() {
            @Override
            protected TokenStreamComponents createComponents(String fieldName) {
                return new TokenStreamComponents(new KeywordTokenizer());
            }
        };

        QueryAnalyzer() {
            super(PER_FIELD_REUSE_STRATEGY);
        }

        @Override
        protected Analyzer getWrappedAnalyzer(String fieldName) {
            if (ID.equals(fieldName) || HOST_DIR.equals(fieldName)) {
                return exact;
            }
            return isKeyword(fieldName) ? keyword : text;
        }
    }
}
