package org.dqlog.it;

/** The appender conformance suite against a Logback application. */
class LogbackAppenderConformanceTest extends AppenderConformanceTest {

    @Override
    Framework framework() {
        return Framework.LOGBACK;
    }
}
