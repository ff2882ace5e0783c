package org.dqlog.cli.up;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.dqlog.testkit.Waits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SMTP sink of {@code ./dqlog up}, against a real Jakarta Mail client and a raw socket. */
class MailSinkTest {

    @TempDir
    Path folder;

    MailSink sink;

    @AfterEach
    void closeSink() {
        if (sink != null) {
            sink.close();
        }
    }

    @Test
    void savesAMailFromJakartaMailAsAnEmlFileThatParsesBack() throws Exception {
        // given
        sink = MailSink.start(InetAddress.getLoopbackAddress(), 0, folder);
        Session session = Session.getInstance(smtpProperties(sink.port()));
        MimeMessage mail = new MimeMessage(session);
        mail.setFrom(new InternetAddress("dqlog@localhost"));
        mail.addRecipient(Message.RecipientType.TO, new InternetAddress("oncall@localhost"));
        mail.addRecipient(Message.RecipientType.TO, new InternetAddress("expert@localhost"));
        mail.setSubject("[dqlog panic] histogram merge failed for run 261070 — Übersicht", "UTF-8");
        String body = "Merging failed.\n.a line that starts with a dot\n..two dots\n.\nafter a lone dot\n";
        mail.setText(body, "UTF-8");

        // when
        Transport.send(mail);

        // then
        List<Path> saved = emlFiles();
        assertThat(saved).hasSize(1);
        assertThat(sink.mailsSaved()).isEqualTo(1);
        MimeMessage parsed;
        try (InputStream in = Files.newInputStream(saved.get(0))) {
            parsed = new MimeMessage(Session.getInstance(new Properties()), in);
        }
        assertThat(parsed.getSubject()).isEqualTo("[dqlog panic] histogram merge failed for run 261070 — Übersicht");
        assertThat(parsed.getFrom()).extracting(Object::toString).containsExactly("dqlog@localhost");
        assertThat(parsed.getAllRecipients()).extracting(Object::toString)
                .containsExactly("oncall@localhost", "expert@localhost");
        assertThat(parsed.getHeader("Return-Path")).containsExactly("<dqlog@localhost>");
        assertThat(((String) parsed.getContent()).replace("\r\n", "\n")).isEqualTo(body);
        try (Stream<Path> all = Files.list(folder)) {
            assertThat(all).as("no temporary file left behind").allMatch(p -> p.toString().endsWith(".eml"));
        }
    }

    @Test
    void answersProtocolErrorsAndOversizeMailsAndStaysInStep() throws Exception {
        // given
        sink = MailSink.start(InetAddress.getLoopbackAddress(), 0, folder);
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), sink.port())) {
            socket.setSoTimeout((int) Waits.CONDITION.toMillis());
            Smtp smtp = new Smtp(socket);
            assertThat(smtp.reply()).startsWith("220 ");

            // when / then: commands out of order, a mail announced too large
            assertThat(smtp.send("EHLO client.example")).startsWith("250");
            assertThat(smtp.send("RCPT TO:<x@y>")).startsWith("503 ");
            assertThat(smtp.send("MAIL FROM:<a@b> SIZE=" + (MailSink.MAX_MESSAGE_BYTES + 1))).startsWith("552 ");
            assertThat(smtp.send("DATA")).startsWith("503 ");

            // and a transaction reset half-way saves nothing, the next one is saved
            assertThat(smtp.send("MAIL FROM:<a@b>")).startsWith("250 ");
            assertThat(smtp.send("RCPT TO:<x@y>")).startsWith("250 ");
            assertThat(smtp.send("RSET")).startsWith("250 ");
            assertThat(smtp.send("DATA")).startsWith("503 ");
            assertThat(smtp.send("MAIL FROM:<>")).startsWith("250 ");
            assertThat(smtp.send("RCPT TO:<x@y>")).startsWith("250 ");
            assertThat(smtp.send("DATA")).startsWith("354 ");
            assertThat(smtp.send("Subject: hi\r\n\r\n..dot\r\n.")).startsWith("250 ");
            assertThat(smtp.send("QUIT")).startsWith("221 ");
        }
        List<Path> saved = emlFiles();
        assertThat(saved).hasSize(1);
        assertThat(Files.readString(saved.get(0))).startsWith("Return-Path: <>\r\n").endsWith("Subject: hi\r\n\r\n.dot\r\n");
    }

    @Test
    void hangsUpOnAClientThatStaysSilent() throws Exception {
        // given
        sink = MailSink.start(InetAddress.getLoopbackAddress(), 0, folder, Duration.ofMillis(300));
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), sink.port())) {
            socket.setSoTimeout((int) Waits.CONDITION.toMillis());
            Smtp smtp = new Smtp(socket);
            assertThat(smtp.reply()).startsWith("220 ");

            // when the client says nothing, then the sink says why and closes the connection
            assertThat(smtp.in.readLine()).startsWith("421 ");
            assertThat(smtp.in.readLine()).isNull();
        }
    }

    private List<Path> emlFiles() throws IOException {
        await().atMost(Waits.CONDITION).until(() -> {
            try (Stream<Path> all = Files.list(folder)) {
                return all.anyMatch(p -> p.toString().endsWith(".eml"));
            }
        });
        try (Stream<Path> all = Files.list(folder)) {
            return all.filter(p -> p.toString().endsWith(".eml")).sorted().toList();
        }
    }

    private static Properties smtpProperties(int port) {
        Properties p = new Properties();
        p.setProperty("mail.smtp.host", "127.0.0.1");
        p.setProperty("mail.smtp.port", Integer.toString(port));
        p.setProperty("mail.smtp.connectiontimeout", "10000");
        p.setProperty("mail.smtp.timeout", "10000");
        return p;
    }

    /** A raw SMTP client: one command, its (possibly multi-line) reply as one string. */
    private static final class Smtp {
        final BufferedReader in;
        final OutputStream out;

        Smtp(Socket socket) throws IOException {
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            out = socket.getOutputStream();
        }

        String send(String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return reply();
        }

        String reply() throws IOException {
            StringBuilder all = new StringBuilder();
            String line;
            do {
                line = in.readLine();
                if (line == null) {
                    return all.toString();
                }
                all.append(line).append('\n');
            } while (line.length() > 3 && line.charAt(3) == '-');
            return all.toString();
        }
    }
}
