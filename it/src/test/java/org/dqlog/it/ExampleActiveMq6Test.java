package org.dqlog.it;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.dqlog.it.apps.XmlBrokerMain;
import org.dqlog.testkit.ChildProcess;
import org.dqlog.testkit.TestCertificates;
import org.dqlog.testkit.Waits;

/**
 * examples/activemq.xml as it is ({@link ExampleBrokerConf}), on ActiveMQ 6 read from its XML as
 * ActiveMQ's own start script reads it ({@link XmlBrokerMain}, with activemq-spring).
 */
class ExampleActiveMq6Test extends LeastPrivilegeBrokerTest {

    static final Pattern READY = Pattern.compile("^" + Pattern.quote(XmlBrokerMain.READY_PREFIX) + "[a-z+]+://[^:]+:(\\d+)");

    @Override
    String startBroker(Path brokerDir, TestCertificates certificates) throws Exception {
        Path conf = ExampleBrokerConf.write(brokerDir.resolve("conf"), certificates, PASSWORDS).toAbsolutePath();
        String classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains("logback") && !entry.contains("log4j"))
                .collect(Collectors.joining(File.pathSeparator));
        ChildProcess broker = ChildProcess.java(XmlBrokerMain.class.getName()).name("activemq-6-example")
                .classpath(classpath)
                .addJvmOptions("-Dactivemq.conf=" + conf, "-Dactivemq.data=" + brokerDir.resolve("data").toAbsolutePath())
                .args(conf.resolve("activemq.xml").toString()).start();
        MatchResult ready = broker.awaitLine(READY, Waits.PROCESS);
        return "ssl://localhost:" + ready.group(1);
    }
}
