package org.dqlog.it;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import org.dqlog.it.apps.Log4jApp;
import org.dqlog.it.apps.LogbackApp;

/**
 * A logging framework an application child JVM uses, with the class path such an application has:
 * its framework's jars, the dqlog appender for it, dqlog-core and jackson-core (the jars
 * docs/log4j2.md and docs/logback.md list, unshaded here because the reactor build has no
 * packaged jars yet) and the test classes holding the application's main class; nothing else.
 */
enum Framework {

    LOG4J2(Log4jApp.class.getName(), "log4j2-app.xml", "appender-log4j2", "log4j-api", "log4j-core"),
    LOGBACK(LogbackApp.class.getName(), "logback-app.xml", "appender-logback", "logback-classic", "logback-core",
            "slf4j-api");

    private final String mainClass;
    private final String configResource;
    private final Predicate<String> classpath;

    Framework(String mainClass, String configResource, String appenderModule, String... frameworkJars) {
        this.mainClass = mainClass;
        this.configResource = configResource;
        StringBuilder jars = new StringBuilder("jackson-core");
        for (String jar : frameworkJars) {
            jars.append('|').append(Pattern.quote(jar));
        }
        String sep = Pattern.quote(File.separator);
        // a module is a target*/classes folder inside the reactor, or dqlog-MODULE-VERSION.jar from a repository
        Pattern allowed = Pattern.compile(".*(" + sep + "test-classes"
                + "|" + sep + "(core|" + appenderModule + ")" + sep + "target[^" + sep + "]*" + sep + "classes"
                + "|" + sep + "dqlog-(core|" + Pattern.quote(appenderModule) + ")-[0-9][^" + sep + "]*(?<!-tests)\\.jar"
                + "|" + sep + "(" + jars + ")-[0-9][^" + sep + "]*\\.jar)");
        this.classpath = entry -> allowed.matcher(entry).matches();
    }

    String mainClass() {
        return mainClass;
    }

    /** The application's XML configuration, as a file the framework loads itself. */
    Path config() {
        try {
            return Path.of(Framework.class.getResource("/" + configResource).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Keeps the class path entries an application of this framework has. */
    Predicate<String> classpathFilter() {
        return classpath;
    }

    /** The entries of this JVM's class path such an application gets (for checks). */
    List<String> classpathEntries() {
        return List.of(System.getProperty("java.class.path").split(File.pathSeparator)).stream()
                .filter(classpath).toList();
    }
}
