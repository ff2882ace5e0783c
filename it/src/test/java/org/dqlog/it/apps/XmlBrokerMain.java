package org.dqlog.it.apps;

import java.net.URI;

import org.apache.activemq.broker.BrokerFactory;
import org.apache.activemq.broker.BrokerService;
import org.dqlog.broker.BrokerMain;

/**
 * An ActiveMQ 6 broker from an activemq.xml file, read as ActiveMQ's own start script reads it
 * ({@code xbean:file:...}, with {@code activemq.conf} and {@code activemq.data} as system
 * properties): a child JVM for the tests of examples/activemq.xml. Prints
 * {@value #READY_PREFIX}URI of the first connector once it listens; exits when its standard input
 * closes (the test JVM is gone) or on failure (exit 1).
 *
 * <p>Arguments: the activemq.xml file.
 */
public final class XmlBrokerMain {

    public static final String READY_PREFIX = "xml-broker ready ";

    private XmlBrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        BrokerService broker = BrokerFactory.createBroker(new URI("xbean:file:" + args[0]), false);
        broker.start();
        if (!broker.waitUntilStarted()) {
            System.err.println("the broker did not start");
            System.exit(1);
        }
        System.out.println(READY_PREFIX + broker.getTransportConnectors().get(0).getConnectUri());
        System.out.flush();
        BrokerMain.watchStdinForEof();
        broker.waitUntilStopped();
        System.exit(0);
    }
}
