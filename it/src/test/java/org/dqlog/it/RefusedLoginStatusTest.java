package org.dqlog.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import org.dqlog.testkit.BrokerProcess;
import org.dqlog.testkit.ProcessReaper;
import org.dqlog.testkit.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, defect 9: a wrong password is reported as a refused login, distinctly from "no broker
 * reachable", on the framework's own status output, by both appenders; the Logback appender too
 * in a stock configuration (no status listener of its own).
 */
class RefusedLoginStatusTest {

    @RegisterExtension
    static final ProcessReaper REAPER = new ProcessReaper();

    static final Duration WAIT = Waits.CONDITION;

    @TempDir
    Path temp;

    @Test
    void log4jReportsAWrongPasswordAsARefusedLoginNotAsNoBrokerReachable() throws Exception {
        App app = startWithWrongPassword(Framework.LOG4J2, null);
        awaitRefusedLoginReport(app);
        app.stop();
    }

    @Test
    void logbackInAStockConfigurationReportsAWrongPasswordAsARefusedLogin() throws Exception {
        Path stock = App.configVariant(Framework.LOGBACK, temp.resolve("logback-stock.xml"),
                "<statusListener class=\"ch.qos.logback.core.status.OnConsoleStatusListener\"/>", "");
        App app = startWithWrongPassword(Framework.LOGBACK, stock);
        awaitRefusedLoginReport(app);
        app.stop();
    }

    private App startWithWrongPassword(Framework framework, Path config) throws Exception {
        Path goodPasscode = Files.writeString(temp.resolve("broker.passcode"), "right-Passc0de\n");
        Path wrongPasscode = Files.writeString(temp.resolve("app.passcode"), "wrong-Passc0de\n");
        BrokerProcess broker = Brokers.builder(temp.resolve("broker"), "broker-auth")
                .args("--user", "dqlog", "--passcode-file", goodPasscode.toString()).start();
        App.Builder builder = App.builder(framework, temp.resolve("app")).brokers(broker.uri())
                .queues(Queues.named("refused-login." + framework.name().toLowerCase(Locale.ROOT))).run("refused")
                .count(20).jvmOption("-Ddqlog.login=dqlog").jvmOption("-Ddqlog.passcodeFile=" + wrongPasscode);
        if (config != null) {
            builder.config(config);
        }
        return builder.start().awaitSent();
    }

    private static void awaitRefusedLoginReport(App app) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(app.process().lines())
                .as(app.process().describe("status output")).anyMatch(RefusedLoginStatusTest::saysLoginRefused));
        List<String> reports = app.process().lines().stream().filter(RefusedLoginStatusTest::saysLoginRefused).toList();
        assertThat(reports).as("refused-login reports").noneMatch(l -> l.contains("no broker reachable"));
        assertThat(app.process().lines()).noneMatch(l -> l.contains("Passc0de"));
    }

    /** A dqlog status line that calls the trouble what it is: the broker refused the login. */
    private static boolean saysLoginRefused(String line) {
        String l = line.toLowerCase(Locale.ROOT);
        return l.contains("dqlog") && l.contains("login") && (l.contains("refused") || l.contains("rejected"));
    }
}
