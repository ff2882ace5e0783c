package org.dqlog.collector.mail;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.UnsupportedEncodingException;
import java.time.Clock;
import java.util.Date;
import java.util.Properties;

/**
 * Hands a {@link PanicMail} to the SMTP server with Jakarta Mail (Angus): every network wait
 * bounded by the configured timeouts, STARTTLS and AUTH as configured, the server's host name
 * checked against its certificate. A mail counts as sent only when {@link #send} returns.
 *
 * <p>Thread-safe: each send opens its own connection (panic mails are rare, so a pooled
 * connection would buy nothing and could go stale).
 */
final class SmtpSender {

    private final MailSettings settings;
    private final Session session;
    private final Clock clock;

    SmtpSender(MailSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.session = Session.getInstance(properties(settings));
    }

    static Properties properties(MailSettings s) {
        Properties p = new Properties();
        p.setProperty("mail.transport.protocol", "smtp");
        p.setProperty("mail.smtp.host", s.smtpHost());
        p.setProperty("mail.smtp.port", Integer.toString(s.smtpPort()));
        p.setProperty("mail.smtp.connectiontimeout", Long.toString(s.connectTimeout().toMillis()));
        p.setProperty("mail.smtp.timeout", Long.toString(s.readTimeout().toMillis()));
        p.setProperty("mail.smtp.writetimeout", Long.toString(s.readTimeout().toMillis()));
        p.setProperty("mail.smtp.from", envelopeSender(s.from()));
        p.setProperty("mail.smtp.starttls.enable", Boolean.toString(s.startTls() != MailSettings.StartTls.OFF));
        p.setProperty("mail.smtp.starttls.required", Boolean.toString(s.startTls() == MailSettings.StartTls.REQUIRED));
        p.setProperty("mail.smtp.ssl.checkserveridentity", "true");
        p.setProperty("mail.smtp.ssl.enable", Boolean.toString(s.ssl()));
        if (s.tls().trustStore() != null) {
            try {
                // used for SMTPS and for STARTTLS alike; the store was read once at start (MailConfigReader)
                p.put("mail.smtp.ssl.socketFactory", s.tls().sslContext().getSocketFactory());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        p.setProperty("mail.smtp.auth", Boolean.toString(s.login() != null));
        return p;
    }

    /** @throws MessagingException if the server did not accept the mail for every recipient */
    void send(PanicMail mail) throws MessagingException {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress(settings.from()));
        for (String r : mail.recipients()) {
            m.addRecipient(Message.RecipientType.TO, new InternetAddress(r));
        }
        m.setHeader("Subject", subjectHeader(mail.subject()));
        m.setText(mail.body(), "UTF-8");
        m.setSentDate(Date.from(clock.instant()));
        // RFC 3834: keeps vacation responders from answering an alert.
        m.setHeader("Auto-Submitted", "auto-generated");
        m.setHeader("X-Dqlog-Kind", mail.kind().name());
        m.setHeader("X-Dqlog-Count", Integer.toString(mail.panicCount()));
        m.saveChanges();
        Address[] to = m.getAllRecipients();
        try (Transport t = session.getTransport("smtp")) {
            if (settings.login() != null) {
                t.connect(settings.smtpHost(), settings.smtpPort(), settings.login(), settings.passcode());
            } else {
                t.connect();
            }
            t.sendMessage(m, to);
        }
    }

    /**
     * The Subject header for {@code subject}. Jakarta Mail leaves ASCII text as it is, so an
     * encoded-word in a log message ({@code =?UTF-8?B?...?=}) would reach the mail client raw and
     * be decoded into text the sender chose (and decoders differ in how often they decode); a
     * space after each {@code =} of {@code =?} makes it plain text that no decoder reads. A plain
     * subject stays plain, for mail filters.
     */
    static String subjectHeader(String subject) {
        try {
            return MimeUtility.fold("Subject: ".length(),
                    MimeUtility.encodeText(subject.replace("=?", "= ?"), "UTF-8", null));
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException("every Java platform has UTF-8", e);
        }
    }

    private static String envelopeSender(String from) {
        try {
            return new InternetAddress(from).getAddress();
        } catch (MessagingException e) {
            return from;
        }
    }
}
