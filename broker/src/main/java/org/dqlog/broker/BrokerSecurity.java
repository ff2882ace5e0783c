package org.dqlog.broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.apache.activemq.broker.BrokerPlugin;
import org.apache.activemq.security.AuthenticationUser;
import org.apache.activemq.security.AuthorizationEntry;
import org.apache.activemq.security.AuthorizationPlugin;
import org.apache.activemq.security.DefaultAuthorizationMap;
import org.apache.activemq.security.SimpleAuthenticationPlugin;

/**
 * Users with groups and per-destination rights, as a production broker would configure them with
 * ActiveMQ's {@code simpleAuthenticationPlugin} and {@code authorizationPlugin}: tests use it to
 * make a user that may write to one queue but not to another, so the broker answers a SEND with a
 * real ERROR frame ("User x is not authorized to write to: queue://...").
 *
 * <p>Read from a text file ({@code --security-file}), one rule per line, {@code #} starts a comment:
 * <pre>
 * user  NAME PASSCODE GROUP[,GROUP...]
 * queue PATTERN READ-GROUPS WRITE-GROUPS ADMIN-GROUPS
 * topic PATTERN READ-GROUPS WRITE-GROUPS ADMIN-GROUPS
 * </pre>
 * A pattern may use ActiveMQ's wildcards ({@code >}, {@code *}); groups are comma-separated, and
 * {@code -} means no group. A destination that no rule matches may be used by nobody. The rules
 * for {@code ActiveMQ.Advisory.>} that every client needs (it creates advisory topics on connect
 * and subscribe) are added for every group the file names, unless the file has its own.
 *
 * <p>Immutable and thread-safe.
 */
public final class BrokerSecurity {

    /** ActiveMQ's advisory topics: a client that may not create them cannot connect a consumer. */
    public static final String ADVISORY_TOPICS = "ActiveMQ.Advisory.>";

    private final List<AuthenticationUser> users;
    private final List<AuthorizationEntry> entries;

    private BrokerSecurity(List<AuthenticationUser> users, List<AuthorizationEntry> entries) {
        this.users = Collections.unmodifiableList(users);
        this.entries = Collections.unmodifiableList(entries);
    }

    /**
     * Reads the rules of {@code file}.
     *
     * @throws IllegalArgumentException naming the line that is wrong (never its passcode)
     */
    public static BrokerSecurity read(Path file) throws IOException {
        return parse(Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    static BrokerSecurity parse(List<String> lines) {
        List<AuthenticationUser> users = new ArrayList<>();
        List<AuthorizationEntry> entries = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        boolean advisoryRule = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).replaceFirst("#.*", "").trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] words = line.split("\\s+");
            String where = "security file line " + (i + 1) + " (" + words[0] + ")";
            switch (words[0]) {
                case "user":
                    requireWords(words, 4, where);
                    users.add(new AuthenticationUser(words[1], words[2], words[3]));
                    addAll(groups, words[3]);
                    break;
                case "queue":
                case "topic":
                    requireWords(words, 5, where);
                    entries.add(entry(words[0].equals("queue"), words[1], words[2], words[3], words[4]));
                    advisoryRule |= words[0].equals("topic") && words[1].equals(ADVISORY_TOPICS);
                    break;
                default:
                    throw new IllegalArgumentException(where + ": expected user, queue or topic");
            }
        }
        if (users.isEmpty()) {
            throw new IllegalArgumentException("security file names no user");
        }
        if (!advisoryRule) {
            String all = String.join(",", groups);
            entries.add(entry(false, ADVISORY_TOPICS, all, all, all));
        }
        return new BrokerSecurity(users, entries);
    }

    private static void requireWords(String[] words, int count, String where) {
        if (words.length != count) {
            throw new IllegalArgumentException(where + ": expected " + count + " words, found " + words.length);
        }
    }

    private static void addAll(List<String> groups, String commaSeparated) {
        for (String group : commaSeparated.split(",")) {
            if (!group.isBlank() && !groups.contains(group.trim())) {
                groups.add(group.trim());
            }
        }
    }

    private static AuthorizationEntry entry(boolean queue, String pattern, String read, String write, String admin) {
        AuthorizationEntry entry = new AuthorizationEntry();
        if (queue) {
            entry.setQueue(pattern);
        } else {
            entry.setTopic(pattern);
        }
        try {
            entry.setRead(groupsOrNone(read));
            entry.setWrite(groupsOrNone(write));
            entry.setAdmin(groupsOrNone(admin));
        } catch (Exception e) {
            throw new IllegalArgumentException("bad groups for " + pattern + ": " + e.getMessage(), e);
        }
        return entry;
    }

    private static String groupsOrNone(String groups) {
        return groups.equals("-") ? "" : groups;
    }

    /** The user names the file defines (for messages; never the passcodes). */
    public List<String> userNames() {
        return users.stream().map(AuthenticationUser::getUsername).toList();
    }

    /** Authentication (no anonymous access) first, then authorization, as ActiveMQ expects them. */
    BrokerPlugin[] plugins() {
        SimpleAuthenticationPlugin authentication = new SimpleAuthenticationPlugin(users);
        authentication.setAnonymousAccessAllowed(false);
        DefaultAuthorizationMap map = new DefaultAuthorizationMap();
        map.setAuthorizationEntries(new ArrayList<>(entries));
        return new BrokerPlugin[] {authentication, new AuthorizationPlugin(map)};
    }

    @Override
    public String toString() {
        return "BrokerSecurity[users " + userNames() + ", " + entries.size() + " destination rules]";
    }
}
