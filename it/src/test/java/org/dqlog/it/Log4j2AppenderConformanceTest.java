package org.dqlog.it;

/** The appender conformance suite against a Log4j 2 application. */
class Log4j2AppenderConformanceTest extends AppenderConformanceTest {

    @Override
    Framework framework() {
        return Framework.LOG4J2;
    }
}
