package org.dqlog.cli.up;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.dqlog.core.FileModes;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.server.SMTPServer;

/**
 * A local SMTP server for {@code ./dqlog up}: accepts every mail for every recipient and saves it
 * as an {@code .eml} file in a folder, so that a panic mail can be opened without a real mail
 * server. The SMTP protocol is SubEthaSMTP's; this class only decides where a mail goes. No
 * relaying, no TLS, no AUTH, meant for 127.0.0.1 only.
 *
 * <p>Bounded: at most {@link #DEFAULT_MAX_CONNECTIONS} conversations at once (more are told
 * {@code 421}), every read waits at most the idle timeout, at most {@link #MAX_RECIPIENTS}
 * recipients and {@link #MAX_MESSAGE_BYTES} per mail (a larger one is refused with {@code 552} and
 * nothing of it is kept).
 *
 * <p>Thread-safe: SubEthaSMTP runs one thread per conversation; {@link #close()} may be called from
 * any thread, more than once.
 */
public final class MailSink implements AutoCloseable {

    /** The port {@code ./dqlog up} tries first: {@value}. */
    public static final int DEFAULT_PORT = 2525;
    /** Conversations at once: {@value}. */
    public static final int DEFAULT_MAX_CONNECTIONS = 8;
    /** Longest silence of a client before the sink hangs up: 60 s (RFC 5321 suggests minutes; a local client never pauses). */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    /** Largest mail kept: {@value} bytes (a panic mail is a few KiB; a stack trace of thousands of frames fits). */
    public static final int MAX_MESSAGE_BYTES = 10 * 1024 * 1024;
    /** Recipients of one mail: {@value}. */
    public static final int MAX_RECIPIENTS = 100;

    private final SMTPServer server;
    private final MailFolder folder;

    private MailSink(SMTPServer server, MailFolder folder) {
        this.server = server;
        this.folder = folder;
    }

    /**
     * Listens on {@code bind:port} ({@code port} 0: any free port) and saves mails under {@code folder}
     * (created if missing).
     *
     * @throws BindException when the port is taken
     * @throws IOException   when the folder cannot be created or the server cannot listen
     */
    public static MailSink start(InetAddress bind, int port, Path folder) throws IOException {
        return start(bind, port, folder, DEFAULT_IDLE_TIMEOUT);
    }

    /** As {@link #start(InetAddress, int, Path)} with another idle timeout (tests). */
    public static MailSink start(InetAddress bind, int port, Path folder, Duration idleTimeout) throws IOException {
        FileModes.createDirectories(folder);
        MailFolder mails = new MailFolder(folder.toAbsolutePath().normalize());
        SMTPServer server = SMTPServer.port(port)
                .bindAddress(bind)
                .hostName("localhost")
                .softwareName("dqlog mail sink")
                .messageHandlerFactory(context -> new OneMail(context, mails))
                .maxConnections(DEFAULT_MAX_CONNECTIONS)
                .connectionTimeout((int) Math.min(Integer.MAX_VALUE, idleTimeout.toMillis()), TimeUnit.MILLISECONDS)
                .maxRecipients(MAX_RECIPIENTS)
                .maxMessageSize(MAX_MESSAGE_BYTES)
                .build();
        try {
            server.start();
        } catch (RuntimeException e) {
            // SubEthaSMTP wraps the bind failure; callers tell a taken port from other failures
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof BindException bindFailure) {
                    throw bindFailure;
                }
            }
            throw new IOException("cannot listen on " + bind.getHostAddress() + ":" + port + ": " + e.getMessage(), e);
        }
        return new MailSink(server, mails);
    }

    /** The bound port. */
    public int port() {
        return server.getPortAllocated();
    }

    /** {@code host:port} as a mail client is configured with it. */
    public String address() {
        return server.getBindAddress().map(InetAddress::getHostAddress).orElse("127.0.0.1") + ":" + port();
    }

    /** The absolute folder the {@code .eml} files go to. */
    public Path folder() {
        return folder.path();
    }

    /** Mails saved since start. */
    public long mailsSaved() {
        return folder.saved();
    }

    /** Stops accepting and hangs up on every conversation. Never throws. */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (RuntimeException e) {
            // stopping is all that was wanted; a half-written mail stays a hidden .tmp file at most
        }
    }

    @Override
    public String toString() {
        return "MailSink[" + (server.isRunning() ? address() : "stopped") + " -> " + folder.path() + "]";
    }

    /**
     * One mail transaction: the envelope sender, then the data written to a draft with a
     * {@code Return-Path} in front (as a delivering server adds it), committed only when it is complete.
     */
    private static final class OneMail implements MessageHandler {
        private final MailFolder folder;
        private String from = "";

        OneMail(MessageContext context, MailFolder folder) {
            this.folder = folder;
        }

        @Override
        public void from(String sender) {
            from = sender == null ? "" : sender;
        }

        @Override
        public void recipient(String recipient) {
            // every recipient is accepted: one file per mail, whoever it was for
        }

        @Override
        public String data(InputStream data) throws IOException {
            try (MailFolder.Draft draft = folder.draft()) {
                OutputStream out = draft.out();
                out.write(("Return-Path: <" + from + ">\r\n").getBytes(StandardCharsets.US_ASCII));
                data.transferTo(out);
                String name = draft.commit();
                return "2.0.0 saved as " + name;
            }
        }

        @Override
        public void done() {
        }
    }
}
