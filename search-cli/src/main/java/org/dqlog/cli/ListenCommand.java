package org.dqlog.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.dqlog.cli.progress.CommandPerMessage;
import org.dqlog.cli.progress.DurableSubscriptions;
import org.dqlog.cli.progress.JsonLines;
import org.dqlog.cli.progress.Listener;
import org.dqlog.cli.progress.MessageAction;
import org.dqlog.cli.progress.ReceivedMessage;
import org.dqlog.cli.run.PanicSender;
import org.dqlog.core.LogRecord;
import org.dqlog.core.ProgressMessage;
import org.dqlog.core.Status;
import org.dqlog.core.config.BrokerAddress;
import org.dqlog.core.config.BrokerResolver;
import org.dqlog.core.config.ClientSettings;
import org.dqlog.core.stomp.AckMode;
import org.dqlog.core.stomp.SessionConfig;
import org.dqlog.core.subscribe.BrokerStatus;
import org.dqlog.core.subscribe.ConnectionState;
import org.dqlog.core.subscribe.FanInSubscriber;
import org.dqlog.core.subscribe.ProgressSubscriber;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code dqlog listen [--type T] [--durable NAME] [-- CMD ARGS]}: react to progress messages from every broker. */
@Command(name = "listen", sortOptions = false, usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Run a command for each progress message (RunEnd, ...), from every broker.",
        description = {"",
            "Consumes " + ProgressMessage.DESTINATION + " from every broker in $DQLOG_BROKERS at once, each"
                + " reconnecting on its own. Without CMD, prints one JSON line per message ({\"id\", \"broker\","
                + " \"headers\", \"body\"}) for jq. With CMD, runs it once per message, one at a time in arrival"
                + " order: the body on its standard input, the headers in its environment (DQLOG_MSGTYPE,"
                + " DQLOG_MESSAGE_ID, DQLOG_HOST, ...; DQLOG_HEADER_APP where a header would be a dqlog setting),"
                + " DQLOG_BROKER and DQLOG_ID. A message is acknowledged when CMD has finished; a failing CMD is"
                + " reported on stderr (and as a panic with --panic-on-failure), never retried. A repeat of a"
                + " message (same id) within the last " + ListenCommand.RECENT_IDS + " is dropped; CMD must still tolerate one"
                + " after a restart.",
            "",
            "--durable NAME keeps a durable subscription on every broker: what is published while the listener"
                + " is down waits for it. Remove one that is no longer used with --unsubscribe NAME: the brokers"
                + " keep storing messages for it until then. Runs until stopped (Ctrl-C, SIGTERM).", ""},
        footer = {"", "Examples:",
            "  dqlog listen --type RunEnd | jq -c '.body.run'",
            "  dqlog listen --type RunEnd --durable dq-signoff -- /opt/dq/prepare-signoff.sh",
            "  dqlog listen --unsubscribe dq-signoff"},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:stopped, or --unsubscribe removed the subscription everywhere",
            "1:--unsubscribe: a broker could not be reached or still has it in use",
            "2:bad usage; the durable subscription is in use by another listener"})
public final class ListenCommand implements Callable<Integer> {

    /** Application name of the panics of --panic-on-failure when neither --app nor DQLOG_APP gives one: {@value}. */
    public static final String DEFAULT_APP = "listen";
    /** Ids remembered to drop repeats: {@value}. */
    public static final int RECENT_IDS = 10_000;

    @Spec
    CommandSpec spec;

    @ParentCommand
    DqlogCommand parent;

    @Option(names = "--type", paramLabel = "T", description = "Only messages of MsgType T (repeat for several).")
    List<String> types = new ArrayList<>();

    @Option(names = "--selector", paramLabel = "SQL",
            description = "A JMS selector on the headers, ANDed with --type: \"app = 'tier0-merge'\".")
    String selector;

    @Option(names = "--durable", paramLabel = "NAME",
            description = "Use the durable subscription NAME on every broker (client-id and subscription name).")
    String durable;

    @Option(names = "--unsubscribe", paramLabel = "NAME",
            description = "Remove the durable subscription NAME from every broker, then exit.")
    String unsubscribe;

    @Option(names = "--panic-on-failure", description = "Also send a panic when CMD fails.")
    boolean panicOnFailure;

    @Option(names = "--app", paramLabel = "NAME", description = "Application name of those panics (default: $DQLOG_APP, else listen).")
    String app;

    @Parameters(paramLabel = "CMD", description = "The command to run for each message, with its arguments (after --).")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() throws InterruptedException {
        CliEnvironment env = parent.environment();
        ClientSettings settings = BrokerSettings.of(env).withExplicit(ClientSettings.APP, app);
        PrintWriter err = spec.commandLine().getErr();
        BrokerSettings.warn(settings, err);
        if (settings.brokers().isEmpty()) {
            throw new CliException("no brokers configured: set " + ClientSettings.environmentName(ClientSettings.BROKERS)
                    + " (tcp://host:61613,...)");
        }
        SessionConfig session = SessionConfig.builder().credentials(settings.credentials()).tls(settings.tls()).build();
        if (unsubscribe != null) {
            if (durable != null || !command.isEmpty()) {
                throw new CliException("--unsubscribe removes a subscription and exits: no --durable, no CMD");
            }
            return unsubscribe(settings, session, err);
        }
        MessageAction action = command.isEmpty()
                ? new JsonLines(spec.commandLine().getOut())
                : new CommandPerMessage(command, err, (message, why) -> panicOnFailure(settings, message, why, err));
        String sel = selector();
        Listener listener = new Listener(action, RECENT_IDS);
        Thread hook = new Thread(listener::close, "dqlog-listen-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            listener.start(handler -> {
                FanInSubscriber.Builder b = FanInSubscriber.builder(new BrokerResolver(settings.brokers()))
                        .name("listen").destinations(ProgressMessage.DESTINATION).selector(sel)
                        .ackMode(AckMode.CLIENT).handler(handler).status(new StderrStatus(err))
                        .stateListener(s -> onStateChanged(s, listener, err));
                if (durable == null) {
                    return b.sessionConfig(session).start();
                }
                return b.sessionConfig(DurableSubscriptions.sessionConfig(session, durable))
                        .subscribeHeader(DurableSubscriptions.SUBSCRIPTION_NAME_HEADER, durable).start();
            });
            String failure = listener.awaitFailure();
            if (failure == null) {
                return ExitCodes.OK;
            }
            err.println("dqlog: listen: " + failure);
            err.flush();
            return ExitCodes.ERROR;
        } finally {
            listener.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down already: the hook closes the listener too
            }
        }
    }

    /** The selector of --type and --selector together, or null for every message. */
    String selector() {
        String byType = types.isEmpty() ? null : ProgressSubscriber.selectorFor(types);
        if (selector == null || selector.isBlank()) {
            return byType;
        }
        return byType == null ? selector : byType + " AND (" + selector + ")";
    }

    private void onStateChanged(BrokerStatus status, Listener listener, PrintWriter err) {
        if (status.state() == ConnectionState.CONNECTED) {
            err.println("dqlog: listen: consuming from " + status.broker().uri()
                    + (durable == null ? "" : " (durable subscription " + durable + ")"));
            err.flush();
        } else if (status.state() == ConnectionState.DOWN && durable != null
                && DurableSubscriptions.isNameInUse(status.lastFailure())) {
            listener.fail("durable subscription '" + durable + "' is in use by another listener on "
                    + status.broker().uri() + " (the broker refused the client-id; one listener per name. If that"
                    + " listener has just died, the broker will notice within seconds: start again then)");
        }
    }

    private void panicOnFailure(ClientSettings settings, ReceivedMessage message, String why, PrintWriter err) {
        if (!panicOnFailure) {
            return;
        }
        String appName = settings.app() != null ? settings.app() : DEFAULT_APP;
        PanicSender.Details details = new PanicSender.Details("dqlog listen: " + why + " on " + message.type()
                + " message " + message.id(), appName, String.join(" ", command), List.of(),
                ProcessHandle.current().pid(), parent.environment().workingDirectory().toString(),
                Map.of("msgType", String.valueOf(message.type()), "messageId", message.id()), List.of());
        LogRecord panic = PanicSender.record(details, settings);
        try {
            PanicSender.send(panic, settings, PanicSender.DEFAULT_TIMEOUT);
        } catch (PanicSender.PanicNotSentException e) {
            err.println("dqlog: listen: panic not sent: " + ErrorHandlers.oneLine(e.getMessage()));
            err.flush();
        }
    }

    private int unsubscribe(ClientSettings settings, SessionConfig session, PrintWriter err) throws InterruptedException {
        int failed = 0;
        for (BrokerAddress broker : new BrokerResolver(settings.brokers()).resolve()) {
            String outcome;
            try {
                outcome = switch (DurableSubscriptions.remove(broker, session, unsubscribe)) {
                    case REMOVED -> "removed";
                    case NONE -> "none there";
                    case IN_USE -> {
                        failed++;
                        yield "in use by a running listener: stop it first";
                    }
                };
            } catch (IOException e) {
                failed++;
                outcome = "not removed: " + ErrorHandlers.oneLine(e.getMessage());
            }
            err.println("dqlog: listen: durable subscription " + unsubscribe + " on " + broker.uri() + ": " + outcome);
        }
        err.flush();
        return failed == 0 ? ExitCodes.OK : ExitCodes.NO_MATCH;
    }

    /** Trouble with a broker, as one line on stderr (never secrets: the subscriber's messages carry none). */
    private static final class StderrStatus implements Status {
        private final PrintWriter err;

        StderrStatus(PrintWriter err) {
            this.err = err;
        }

        @Override
        public void info(String message) {
            line(message);
        }

        @Override
        public void warn(String message, Throwable cause) {
            line(message);
        }

        @Override
        public void error(String message, Throwable cause) {
            line(message);
        }

        private void line(String message) {
            err.println("dqlog: listen: " + ErrorHandlers.oneLine(message));
            err.flush();
        }
    }
}
