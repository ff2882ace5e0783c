package org.dqlog.cli.up;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server side of one SMTP conversation (RFC 5321), as much as a local mail sink needs:
 * {@code HELO}/{@code EHLO}, {@code MAIL}, {@code RCPT}, {@code DATA} (with dot-unstuffing),
 * {@code RSET}, {@code NOOP}, {@code QUIT}; {@code VRFY} and {@code HELP} answer politely, anything
 * else is {@code 502}. Every mail for every recipient is accepted and handed to the
 * {@link MailFolder}, with a {@code Return-Path} and a {@code Received} header in front.
 *
 * <p>Bounded: a command line longer than {@value #MAX_COMMAND_LINE_BYTES} bytes or a text line
 * longer than {@value #MAX_TEXT_LINE_BYTES} is refused, a mail larger than
 * {@value #MAX_MESSAGE_BYTES} bytes is refused with {@code 552} (and dropped), at most
 * {@value #MAX_RECIPIENTS} recipients per mail, and after {@value #MAX_ERRORS} bad commands the
 * sink hangs up. The socket's read timeout bounds every wait.
 *
 * <p>Not thread-safe: one thread runs one conversation.
 */
final class SmtpConversation {

    /** RFC 5321 4.5.3.1.4: 512 octets for a command line; some clients send longer parameters. */
    static final int MAX_COMMAND_LINE_BYTES = 1024;
    /** RFC 5321 says 1000 octets per text line; mail clients rarely exceed it, a sink need not be strict. */
    static final int MAX_TEXT_LINE_BYTES = 64 * 1024;
    /** 10 MiB, advertised with the SIZE extension: far above any panic mail. */
    static final long MAX_MESSAGE_BYTES = 10L * 1024 * 1024;
    static final int MAX_RECIPIENTS = 100;
    static final int MAX_ERRORS = 10;
    static final byte[] TOO_BUSY = "421 4.3.2 too many connections, try again later\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    private static final String NAME = "dqlog-mail-sink";
    private static final Pattern MAIL_FROM = Pattern.compile("(?i)MAIL FROM:\\s*<([^<>]*)>(.*)");
    private static final Pattern RCPT_TO = Pattern.compile("(?i)RCPT TO:\\s*<([^<>]*)>.*");
    private static final Pattern SIZE_PARAM = Pattern.compile("(?i)(?:^|\\s)SIZE=(\\d{1,19})(?:\\s|$)");
    private static final int TOO_LONG = -2;

    private final LineReader in;
    private final OutputStream out;
    private final String clientAddress;
    private final MailFolder folder;
    private String helo;
    private String sender; // null: no transaction
    private final List<String> recipients = new ArrayList<>();
    private int errors;

    SmtpConversation(InputStream in, OutputStream out, String clientAddress, MailFolder folder) {
        this.in = new LineReader(new BufferedInputStream(in));
        this.out = new BufferedOutputStream(out);
        this.clientAddress = clientAddress;
        this.folder = folder;
    }

    /** Runs until QUIT, EOF, too many errors, or an I/O error (a read timeout included). */
    void run() throws IOException {
        reply("220 " + NAME + " ESMTP ready: every mail is saved, none is delivered");
        byte[] buffer = new byte[MAX_COMMAND_LINE_BYTES];
        while (errors < MAX_ERRORS) {
            int length = in.readLine(buffer);
            if (length == -1) {
                return;
            }
            if (length == TOO_LONG) {
                error("500 5.5.2 line too long");
                continue;
            }
            String line = new String(buffer, 0, length, StandardCharsets.US_ASCII);
            if (!command(line)) {
                return;
            }
        }
        reply("421 4.7.0 too many errors, closing");
    }

    /** Handles one command line; false once the conversation is over. */
    private boolean command(String line) throws IOException {
        String verb = (line.length() >= 4 ? line.substring(0, 4) : line).toUpperCase(Locale.ROOT);
        String argument = line.length() > 5 ? line.substring(5).trim() : "";
        switch (verb) {
            case "HELO":
                greet(argument, false);
                return true;
            case "EHLO":
                greet(argument, true);
                return true;
            case "MAIL":
                mail(line);
                return true;
            case "RCPT":
                rcpt(line);
                return true;
            case "DATA":
                data();
                return true;
            case "RSET":
                reset();
                reply("250 2.0.0 OK");
                return true;
            case "NOOP":
                reply("250 2.0.0 OK");
                return true;
            case "VRFY":
                reply("252 2.1.5 cannot verify, but will accept the mail");
                return true;
            case "HELP":
                reply("214 2.0.0 HELO EHLO MAIL RCPT DATA RSET NOOP QUIT");
                return true;
            case "QUIT":
                reply("221 2.0.0 bye");
                return false;
            default:
                error("502 5.5.1 command not implemented");
                return true;
        }
    }

    private void greet(String domain, boolean extended) throws IOException {
        if (domain.isEmpty()) {
            error("501 5.5.4 " + (extended ? "EHLO" : "HELO") + " needs a domain");
            return;
        }
        helo = printable(domain);
        reset();
        if (extended) {
            reply("250-" + NAME + " hello " + helo, "250-SIZE " + MAX_MESSAGE_BYTES, "250-8BITMIME", "250 SMTPUTF8");
        } else {
            reply("250 " + NAME + " hello " + helo);
        }
    }

    private void mail(String line) throws IOException {
        if (helo == null) {
            error("503 5.5.1 say HELO or EHLO first");
            return;
        }
        if (sender != null) {
            error("503 5.5.1 nested MAIL command");
            return;
        }
        Matcher m = MAIL_FROM.matcher(line);
        if (!m.matches()) {
            error("501 5.5.4 syntax: MAIL FROM:<address>");
            return;
        }
        Matcher size = SIZE_PARAM.matcher(m.group(2));
        if (size.find() && Long.parseLong(size.group(1)) > MAX_MESSAGE_BYTES) {
            reply("552 5.3.4 message larger than " + MAX_MESSAGE_BYTES + " bytes");
            return;
        }
        sender = printable(m.group(1));
        reply("250 2.1.0 OK");
    }

    private void rcpt(String line) throws IOException {
        if (sender == null) {
            error("503 5.5.1 need MAIL first");
            return;
        }
        Matcher m = RCPT_TO.matcher(line);
        if (!m.matches() || m.group(1).isBlank()) {
            error("501 5.5.4 syntax: RCPT TO:<address>");
            return;
        }
        if (recipients.size() >= MAX_RECIPIENTS) {
            reply("452 4.5.3 too many recipients");
            return;
        }
        recipients.add(printable(m.group(1)));
        reply("250 2.1.5 OK");
    }

    private void data() throws IOException {
        if (sender == null || recipients.isEmpty()) {
            error("503 5.5.1 need MAIL and RCPT first");
            return;
        }
        reply("354 end data with <CRLF>.<CRLF>");
        try (MailFolder.Draft draft = folder.draft()) {
            OutputStream mail = draft.out();
            mail.write(traceHeaders().getBytes(StandardCharsets.UTF_8));
            if (!copyData(mail)) {
                reset();
                return;
            }
            String name = draft.commit();
            reply("250 2.0.0 OK saved as " + name);
        } finally {
            reset();
        }
    }

    /**
     * Copies the mail text up to the lone dot, undoing the dot-stuffing (RFC 5321 4.5.2), with
     * CRLF line ends. False (after replying) when the mail was refused; the text is read to its
     * end in any case, so that the conversation stays in step.
     */
    private boolean copyData(OutputStream mail) throws IOException {
        byte[] line = new byte[MAX_TEXT_LINE_BYTES];
        long size = 0;
        String refusal = null;
        while (true) {
            int length = in.readLine(line);
            if (length == -1) {
                throw new IOException("connection closed during DATA");
            }
            if (length == 1 && line[0] == '.') {
                break;
            }
            if (length == TOO_LONG) {
                refusal = "500 5.5.2 text line longer than " + MAX_TEXT_LINE_BYTES + " bytes";
                continue;
            }
            int start = length > 0 && line[0] == '.' ? 1 : 0;
            size += length - start + 2;
            if (size > MAX_MESSAGE_BYTES) {
                refusal = "552 5.3.4 message larger than " + MAX_MESSAGE_BYTES + " bytes";
                if (size > 2 * MAX_MESSAGE_BYTES) {
                    // a client that does not stop: no reason to keep reading
                    throw new IOException("message far over the size limit");
                }
                continue;
            }
            if (refusal == null) {
                mail.write(line, start, length - start);
                mail.write('\r');
                mail.write('\n');
            }
        }
        if (refusal != null) {
            reply(refusal);
            return false;
        }
        return true;
    }

    private String traceHeaders() {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now());
        return "Return-Path: <" + sender + ">\r\n"
                + "Received: from " + helo + " ([" + clientAddress + "])\r\n"
                + "\tby " + NAME + " with ESMTP for <" + String.join(">, <", recipients) + ">;\r\n"
                + "\t" + date + "\r\n";
    }

    private void reset() {
        sender = null;
        recipients.clear();
    }

    private void error(String response) throws IOException {
        errors++;
        reply(response);
    }

    private void reply(String... lines) throws IOException {
        for (String l : lines) {
            out.write(l.getBytes(StandardCharsets.US_ASCII));
            out.write('\r');
            out.write('\n');
        }
        out.flush();
    }

    /** Text from the client that goes into a header: no control characters, so no forged header lines. */
    private static String printable(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length() && b.length() < 256; i++) {
            char c = text.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return b.toString();
    }

    /** Reads lines ended by LF (a CR before it is dropped) into a caller's buffer, never more than it holds. */
    private static final class LineReader {
        private final InputStream in;

        LineReader(InputStream in) {
            this.in = in;
        }

        /**
         * The length of the next line in {@code buffer}, -1 at end of stream, or {@link #TOO_LONG}
         * when it did not fit (the rest of that line is read and dropped).
         */
        int readLine(byte[] buffer) throws IOException {
            int length = 0;
            boolean overflow = false;
            while (true) {
                int b = in.read();
                if (b == -1) {
                    return length == 0 && !overflow ? -1 : overflow ? TOO_LONG : length;
                }
                if (b == '\n') {
                    if (overflow) {
                        return TOO_LONG;
                    }
                    return length > 0 && buffer[length - 1] == '\r' ? length - 1 : length;
                }
                if (length < buffer.length) {
                    buffer[length++] = (byte) b;
                } else {
                    overflow = true;
                }
            }
        }
    }
}
