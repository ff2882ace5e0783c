package org.dqlog.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The one set of rules by which dqlog hides secrets in command lines before they travel or are
 * stored: used by the appenders, {@link Panic}, {@code dqlog panic}/{@code run}, and the collector
 * for panics that arrive unredacted (the Python tooling sends its arguments as they are).
 *
 * <p>What is replaced by {@value #REDACTED} (docs/security.md lists the same forms):
 * <ul>
 *   <li>the value of an option or assignment whose name holds a secret word ({@code --password x},
 *       {@code --password=x}, {@code --db-password=x}, {@code -Ddqlog.passcode=x}, {@code --pass=x},
 *       {@code --pwd=x}, {@code --api-key=x}, {@code --key x}, {@code --auth=x}, {@code --token x},
 *       {@code PASSWORD=x}); a name that ends in {@code file}, {@code path}, {@code dir} or
 *       {@code store} names where a secret lives, not the secret, and keeps its value;</li>
 *   <li>{@code -pX} (MySQL's attached password) and the word after {@code -P};</li>
 *   <li>the password of a URL ({@code https://user:pw@host/} becomes {@code https://user:***@host/});</li>
 *   <li>every match of an operator's pattern (a Java regular expression; where it has a group,
 *       only group 1 is replaced).</li>
 * </ul>
 * It errs on the side of hiding: {@code -P 8080} loses its value too. Applying it twice changes
 * nothing more.
 *
 * <p>Immutable, so thread-safe.
 */
public final class Redaction {

    /** What replaces a secret. */
    public static final String REDACTED = "***";
    /** The rules without operator patterns. */
    public static final Redaction DEFAULT = new Redaction(Collections.<Pattern>emptyList());

    /** Words that make an option name secret wherever they stand in it ({@code dbpassword}). */
    private static final Pattern SECRET_PART =
            Pattern.compile("passw|passwd|passcode|passphrase|secret|token|credential|apikey|privatekey");
    /** Words that make an option name secret only as a whole word ({@code --key}, not {@code --monkey}). */
    private static final Set<String> SECRET_WORDS = Set.of("pass", "pwd", "key", "auth");
    /** Last words of names whose value says where a secret is, not what it is. */
    private static final Set<String> LOCATION_WORDS = Set.of("file", "path", "dir", "store");
    // The scheme starts only where a run of scheme characters starts, and is taken whole: otherwise
    // find() would rescan a long word from each of its letters (quadratic; a 200,000-letter word in
    // a panic stalled the collector's panic pipeline).
    private static final Pattern URL_PASSWORD =
            Pattern.compile("(?<![a-zA-Z0-9+.-])([a-zA-Z][a-zA-Z0-9+.-]*+://[^/\\s:@]*+):[^/\\s@]+@");
    private static final Pattern TOKEN = Pattern.compile("\\S+");

    private final List<Pattern> extra;

    private Redaction(List<Pattern> extra) {
        this.extra = extra;
    }

    /**
     * The default rules plus the operator's patterns, separated by white space (a pattern that
     * needs a space writes {@code \s}); null or blank adds none.
     *
     * @throws IllegalArgumentException naming the pattern that is not a regular expression
     */
    public static Redaction withPatterns(String patterns) {
        if (patterns == null || patterns.isBlank()) {
            return DEFAULT;
        }
        return withPatterns(Arrays.asList(patterns.trim().split("\\s+")));
    }

    /**
     * The default rules plus {@code patterns} (Java regular expressions); empty adds none.
     *
     * @throws IllegalArgumentException naming the pattern that is not a regular expression
     */
    public static Redaction withPatterns(List<String> patterns) {
        if (patterns.isEmpty()) {
            return DEFAULT;
        }
        List<Pattern> compiled = new ArrayList<>();
        for (String p : patterns) {
            try {
                compiled.add(Pattern.compile(p));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("bad redaction pattern '" + p + "': " + e.getDescription(), e);
            }
        }
        return new Redaction(Collections.unmodifiableList(compiled));
    }

    /** {@code arguments} with their secrets replaced; null gives an empty list. */
    public List<String> arguments(List<String> arguments) {
        if (arguments == null) {
            return Collections.emptyList();
        }
        List<String> out = new ArrayList<>(arguments.size());
        boolean nextIsSecret = false;
        for (String arg : arguments) {
            if (arg == null) {
                out.add(null);
                continue;
            }
            out.add(nextIsSecret ? REDACTED : redactWord(arg));
            nextIsSecret = !nextIsSecret && takesSecretValue(arg);
        }
        return out;
    }

    /** A command line or message with its secrets replaced; the white space between words is kept. */
    public String text(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(text.length());
        Matcher words = TOKEN.matcher(text);
        int last = 0;
        boolean nextIsSecret = false;
        while (words.find()) {
            String word = words.group();
            out.append(text, last, words.start()).append(nextIsSecret ? REDACTED : redactWord(word));
            nextIsSecret = !nextIsSecret && takesSecretValue(word);
            last = words.end();
        }
        return applyExtra(out.append(text, last, text.length()).toString());
    }

    /** One word: {@code name=value} and {@code -pX} lose the value; URLs lose their password. */
    private String redactWord(String word) {
        String w = URL_PASSWORD.matcher(word).replaceAll("$1:" + Matcher.quoteReplacement(REDACTED) + "@");
        int eq = w.indexOf('=');
        if (eq > 0 && isSecretName(w.substring(0, eq))) {
            w = w.substring(0, eq + 1) + REDACTED;
        } else if (w.length() > 2 && (w.startsWith("-p") || w.startsWith("-P")) && !w.equals("-p" + REDACTED)
                && !w.equals("-P" + REDACTED) && w.indexOf('=') < 0) {
            w = w.substring(0, 2) + REDACTED;
        }
        return applyExtra(w);
    }

    /** An option without {@code =} whose next word is its secret value: {@code --password x}, {@code -P x}. */
    private static boolean takesSecretValue(String word) {
        if (word.equals("-P")) {
            return true;
        }
        return word.startsWith("-") && word.indexOf('=') < 0 && isSecretName(word);
    }

    static boolean isSecretName(String name) {
        List<String> words = wordsOf(name);
        if (words.isEmpty() || LOCATION_WORDS.contains(words.get(words.size() - 1))) {
            return false;
        }
        for (String w : words) {
            if (SECRET_WORDS.contains(w) || SECRET_PART.matcher(w).find()) {
                return true;
            }
        }
        return false;
    }

    /** {@code -Ddqlog.trustStorePassword} gives [ddqlog, trust, store, password]: split at non-letters and camel case. */
    private static List<String> wordsOf(String name) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean boundary = !Character.isLetterOrDigit(c)
                    || (Character.isUpperCase(c) && i > 0 && Character.isLowerCase(name.charAt(i - 1)));
            if (boundary && word.length() > 0) {
                words.add(word.toString().toLowerCase(Locale.ROOT));
                word.setLength(0);
            }
            if (Character.isLetterOrDigit(c)) {
                word.append(c);
            }
        }
        if (word.length() > 0) {
            words.add(word.toString().toLowerCase(Locale.ROOT));
        }
        return words;
    }

    private String applyExtra(String s) {
        String result = s;
        for (Pattern p : extra) {
            Matcher m = p.matcher(result);
            StringBuilder out = new StringBuilder();
            int last = 0;
            while (m.find()) {
                boolean group = m.groupCount() >= 1 && m.start(1) >= 0;
                int start = group ? m.start(1) : m.start();
                int end = group ? m.end(1) : m.end();
                if (end > start) {
                    out.append(result, last, start).append(REDACTED);
                    last = end;
                }
            }
            result = out.append(result, last, result.length()).toString();
        }
        return result;
    }

    @Override
    public String toString() {
        return "Redaction[default forms" + (extra.isEmpty() ? "" : " + " + extra.size() + " operator patterns") + "]";
    }
}
