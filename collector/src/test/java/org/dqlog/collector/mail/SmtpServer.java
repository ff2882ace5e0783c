package org.dqlog.collector.mail;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.dqlog.testkit.Waits;

/** A real SMTP server (GreenMail) on a loopback port, and what arrived at it. */
final class SmtpServer implements AutoCloseable {

    private final int port;
    private final GreenMailConfiguration config;
    private final String protocol;
    private GreenMail greenMail;

    /** An SMTP server that is not running yet, on a port nobody else uses. */
    SmtpServer(GreenMailConfiguration config) {
        this(config, ServerSetup.PROTOCOL_SMTP);
    }

    /** @param protocol {@link ServerSetup#PROTOCOL_SMTP} or {@link ServerSetup#PROTOCOL_SMTPS} (TLS from the start) */
    SmtpServer(GreenMailConfiguration config, String protocol) {
        this.port = freePort();
        this.config = config;
        this.protocol = protocol;
    }

    SmtpServer() {
        this(GreenMailConfiguration.aConfig());
    }

    static SmtpServer started() {
        SmtpServer s = new SmtpServer();
        s.start();
        return s;
    }

    int port() {
        return port;
    }

    void start() {
        ServerSetup setup = new ServerSetup(port, "127.0.0.1", protocol);
        // GreenMail waits 2 s by default; an SMTPS server (TLS set-up) takes longer on a busy machine
        setup.setServerStartupTimeout(Waits.PROCESS.toMillis());
        greenMail = new GreenMail(setup).withConfiguration(config);
        greenMail.start();
    }

    /** One entry per delivered copy, i.e. per recipient of each mail. */
    List<Received> received() {
        if (greenMail == null) {
            return List.of();
        }
        return Arrays.stream(greenMail.getReceivedMessages()).map(Received::new).collect(Collectors.toList());
    }

    @Override
    public void close() {
        if (greenMail != null) {
            greenMail.stop();
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A received mail, decoded. */
    static final class Received {
        final MimeMessage message;

        Received(MimeMessage message) {
            this.message = message;
        }

        String subject() {
            try {
                return message.getSubject();
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }

        /**
         * Decoded text with line ends normalised to LF and without trailing line ends (the
         * last CRLF of a mail is part of SMTP's end-of-data mark, and GreenMail drops it).
         */
        String body() {
            try {
                return ((String) message.getContent()).replace("\r\n", "\n").replaceAll("\n+$", "");
            } catch (MessagingException | IOException e) {
                throw new IllegalStateException(e);
            }
        }

        List<String> to() {
            try {
                return Arrays.stream(message.getRecipients(Message.RecipientType.TO)).map(Object::toString)
                        .collect(Collectors.toList());
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }

        String header(String name) {
            try {
                String[] values = message.getHeader(name);
                return values == null ? null : String.join(",", values);
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String toString() {
            return subject() + " to " + to();
        }
    }
}
