package org.dqlog.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

class PanicFieldsTest {

    @Test
    void secretsInTheCommandLineNeverTravel() {
        // given
        List<String> args = List.of("-Ddqlog.passcode=hunter2", "--password", "s3cret", "--run", "42",
                "--token=abc", "--passcode-file", "/etc/dq/pass");

        // when
        PanicFields fields = new PanicFields("dcs.jar", args, "/var/dq", ZoneOffset.UTC);

        // then
        assertThat(fields.arguments()).containsExactly("-Ddqlog.passcode=***", "--password", "***", "--run", "42",
                "--token=***", "--passcode-file", "/etc/dq/pass");
        assertThat(String.join(" ", fields.arguments())).doesNotContain("hunter2", "s3cret", "abc");
    }

    @Test
    void aPanicGetsTheProcessFactsTimesAndTheExceptionAsTracebackLines() {
        // given
        PanicFields fields = new PanicFields("dcs.jar", List.of("-r", "1"), "/var/dq", ZoneOffset.UTC);
        Instant ts = Instant.parse("2015-04-13T10:02:57.908123Z");
        ExceptionInfo exception = ExceptionInfo.of(new IllegalStateException("boom"));

        // when
        LogRecord r = fields.addTo(LogRecord.builder().panic(true), ts, exception, null).build();

        // then
        assertThat(r.command()).isEqualTo("dcs.jar");
        assertThat(r.arguments()).containsExactly("-r", "1");
        assertThat(r.cwd()).isEqualTo("/var/dq");
        assertThat(r.time()).isEqualTo(1428919377.908123);
        assertThat(r.usrtime()).isEqualTo("2015-04-13 10:02:57 Z");
        assertThat(r.traceback().get(0)).isEqualTo("java.lang.IllegalStateException: boom\n");
        assertThat(r.traceback()).hasSizeGreaterThan(1).allSatisfy(line -> assertThat(line).endsWith("\n"));
    }

    @Test
    void aStackTraceBecomesOneLinePerLineWithoutBlankOnesWhateverItsLineBreaks() {
        // given: Windows line breaks and a message with a blank line in it
        ExceptionInfo exception = new ExceptionInfo("java.io.IOException", "disk gone\n  \nreally",
                "java.io.IOException: disk gone\r\n  \r\nreally\r\n\tat org.dq.Io.write(Io.java:42)\r\n");

        // when
        List<String> traceback = PanicFields.tracebackOf(exception);

        // then
        assertThat(traceback).containsExactly("java.io.IOException: disk gone\n", "really\n",
                "\tat org.dq.Io.write(Io.java:42)\n");
    }

    @Test
    void aCallStackLosesTheLoggingFrameworksFramesOnTopOnly() {
        // given
        StackTraceElement[] stack = {
            new StackTraceElement("java.lang.Thread", "getStackTrace", "Thread.java", 1),
            new StackTraceElement("org.dqlog.core.appender.RecordFactory", "create", "RecordFactory.java", 2),
            new StackTraceElement("ch.qos.logback.classic.Logger", "error", "Logger.java", 3),
            new StackTraceElement("org.dqlog.logback.StompAppenderTest", "test", "StompAppenderTest.java", 4),
            new StackTraceElement("org.dq.Main", "main", "Main.java", 5),
        };

        // when
        List<String> traceback = PanicFields.tracebackOf(stack);

        // then
        assertThat(traceback).containsExactly(
                "\tat org.dqlog.logback.StompAppenderTest.test(StompAppenderTest.java:4)\n",
                "\tat org.dq.Main.main(Main.java:5)\n");
    }
}
