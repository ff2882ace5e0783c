package org.dqlog.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.dqlog.cli.progress.NotifyBody;
import org.dqlog.cli.progress.ProgressSender;
import org.dqlog.cli.run.PanicSender;
import org.dqlog.core.ProcessInfo;
import org.dqlog.core.ProgressMessage;
import org.dqlog.core.RecordIds;
import org.dqlog.core.config.ClientSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code dqlog notify TYPE key=value ...}: one message on the progress topic, from a shell script. */
@Command(name = "notify", sortOptions = false, usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Publish a progress message (RunEnd, ...) on the progress topic.",
        description = {"",
            "Sends one message of type TYPE (header MsgType; MsgClass:DQ, persistent) to "
                + ProgressMessage.DESTINATION + " on one of the brokers in $DQLOG_BROKERS (failing over to the"
                + " next) and waits until a broker stored it. Brokers, login and TLS as for 'dqlog panic'."
                + " Prints nothing on success.",
            "",
            "The body is a JSON object: an \"id\" (also sent as the header id, so that 'dqlog listen' drops a"
                + " repeat), then the FIELDS. A value that is a JSON number becomes a number (run=261222), true"
                + " and false booleans; anything else a string. To force a string, write it in double quotes,"
                + " quoted for the shell: run='\"261222\"'. An id=... field replaces the generated id (resend"
                + " with the same id). Or --json FILE (or - for stdin) sends a JSON object as it is.", ""},
        footer = {"", "Examples:",
            "  dqlog notify RunEnd run=261222 stream=physics_Main",
            "  dqlog notify WebDisplayIncremental --json result.json",
            "  jq -n '{run: 261222, runinfo: {lb: 21}}' | dqlog notify RunEnd --json -"},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:a broker stored the message", "1:no broker stored it (the reason is on stderr)",
            "2:bad usage"})
public final class NotifyCommand implements Callable<Integer> {

    /** Application name (header app) when neither --app nor DQLOG_APP gives one: {@value}. */
    public static final String DEFAULT_APP = PanicCommand.DEFAULT_APP;

    @Spec
    CommandSpec spec;

    @ParentCommand
    DqlogCommand parent;

    @Parameters(index = "0", paramLabel = "TYPE", description = "The MsgType: RunStart, RunEnd, WebDisplayIncremental, ...")
    String type;

    @Parameters(index = "1..*", paramLabel = "FIELDS", description = "key=value fields of the body.")
    List<String> fields = new ArrayList<>();

    @Option(names = "--json", paramLabel = "FILE", description = "The body as it is: a JSON object in FILE, or - for stdin.")
    String json;

    @Option(names = "--app", paramLabel = "NAME", description = "Header app (default: $DQLOG_APP, else shell).")
    String app;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "20s",
            description = "Try the brokers for at most DURATION: 500ms, 20s, 2m (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Override
    public Integer call() throws IOException, InterruptedException {
        CliEnvironment env = parent.environment();
        Duration limit = PanicSender.parseTimeout(timeout);
        if (json != null && !fields.isEmpty()) {
            throw new CliException("give key=value fields or --json, not both");
        }
        ClientSettings settings = BrokerSettings.of(env).withExplicit(ClientSettings.APP, app);
        BrokerSettings.warn(settings, spec.commandLine().getErr());
        ProgressMessage message = message(env, settings);
        try {
            ProgressSender.send(message, settings, limit);
            return ExitCodes.OK;
        } catch (ProgressSender.NotSentException e) {
            spec.commandLine().getErr().println("dqlog: " + type + " not sent: " + ErrorHandlers.oneLine(e.getMessage()));
            spec.commandLine().getErr().flush();
            return ExitCodes.NO_MATCH;
        }
    }

    private ProgressMessage message(CliEnvironment env, ClientSettings settings) throws IOException {
        String body;
        String id;
        if (json != null) {
            body = readJson(env);
            id = NotifyBody.checkObject(body);
            if (id == null) {
                id = new RecordIds().next();
            }
        } else {
            Map<String, String> typed = NotifyBody.fields(fields);
            id = NotifyBody.idOf(typed);
            if (id == null) {
                id = new RecordIds().next();
            }
            body = NotifyBody.json(id, typed);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(NotifyBody.ID, id);
        headers.put("host", ProcessInfo.hostName());
        headers.put("app", settings.app() != null ? settings.app() : DEFAULT_APP);
        try {
            return ProgressMessage.of(type, body, headers);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
    }

    private String readJson(CliEnvironment env) throws IOException {
        if (json.equals("-")) {
            InputStream in = System.in;
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Path file = env.workingDirectory().resolve(json);
        if (!Files.isReadable(file)) {
            throw new CliException("--json: cannot read " + file);
        }
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
