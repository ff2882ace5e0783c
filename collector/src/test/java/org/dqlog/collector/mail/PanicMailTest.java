package org.dqlog.collector.mail;

import static org.assertj.core.api.Assertions.assertThat;

import org.dqlog.core.LogRecord;
import org.junit.jupiter.api.Test;

class PanicMailTest {

    @Test
    void subjectTakesFirstLineCutTo120CharactersAndCount() {
        // given
        String longLine = "x".repeat(200);
        LogRecord r = Panics.java("node7", "reco", longLine + "\nsecond line");

        // when
        String subject = PanicMail.subject("[dqlog panic]", r, 7);

        // then
        assertThat(subject).isEqualTo("[dqlog panic] node7 reco: " + "x".repeat(119) + "\u2026 (x7)");
    }

    @Test
    void subjectHasNoControlOrLineSeparatorCharacters() {
        // given
        LogRecord r = Panics.java("h\u0085ost", "a\tpp", "\u202Eevil\u2028Bcc: x@y");

        // when
        String subject = PanicMail.subject("[dqlog panic]", r, 1);

        // then
        assertThat(subject).isEqualTo("[dqlog panic] h ost a pp: evil");
        assertThat(subject.chars()).noneMatch(c -> Character.isISOControl(c) || c == 0x2028 || c == 0x202E);
    }

    @Test
    void recordWithoutHostAppOrMessageStillHasASubject() {
        // given
        LogRecord r = LogRecord.builder().panic(true).build();

        // when
        String subject = PanicMail.subject("[dqlog panic]", r, 1);

        // then
        assertThat(subject).isEqualTo("[dqlog panic] unknown-host unknown-app: (no message)");
    }

    @Test
    void bodyShowsControlCharactersInsteadOfPassingThemOn() {
        // given
        LogRecord r = Panics.java("node7", "reco", "bell\u0007 escape\u001b[31m crlf\r\nend");

        // when
        String body = PanicMail.details(r);

        // then
        assertThat(body).startsWith("bell\\u0007 escape\\u001b[31m crlf\nend\n\n");
    }

    @Test
    void argumentsAreQuotedSoTheyCanBePastedIntoAShell() {
        assertThat(PanicMail.shellWords(java.util.List.of("-r", "261070", "two words", "it's", "")))
                .isEqualTo("-r 261070 'two words' 'it'\\''s' ''");
    }

    @Test
    void javaPanicPrintsItsStackTraceOnce() {
        // given a Java panic: the appender fills the Python-style traceback from the exception
        LogRecord withoutTraceback = Panics.java("node7", "reco", "Reconstruction crashed");
        LogRecord r = withoutTraceback.toBuilder()
                .traceback(org.dqlog.core.PanicFields.tracebackOf(withoutTraceback.exception())).build();

        // when
        String body = PanicMail.details(r);

        // then the stack appears once, under the exception
        assertThat(body).containsOnlyOnce("at org.example.Robot.load(Robot.java:42)");
        assertThat(body).contains("Exception: java.lang.IllegalStateException: tape robot stuck");
        assertThat(body).doesNotContain("Traceback:");
    }

    @Test
    void pythonPanicKeepsItsTraceback() {
        // when
        String body = PanicMail.details(Panics.python());

        // then
        assertThat(body).contains("Traceback:\n  File \"/usr/local/bin/dcsc.py\", line 12, in <module>");
    }
}
