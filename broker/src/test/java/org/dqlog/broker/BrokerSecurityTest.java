package org.dqlog.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.dqlog.testkit.BrokerProcess;
import org.dqlog.testkit.ProcessReaper;
import org.dqlog.testkit.SecurityFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A broker child with users, groups and per-destination rights refuses what a user may not do, with a real ERROR frame. */
@ExtendWith(ProcessReaper.class)
class BrokerSecurityTest {

    @TempDir
    Path temp;

    @Test
    void aUserMayWriteToTheLoggingQueueButGetsAnErrorFrameForThePanicQueue() throws IOException {
        // given: "app" may write the logging queue only; "ops" may do everything
        SecurityFile security = SecurityFile.create()
                .user("app", "app-pass", "writers")
                .user("ops", "ops-pass", "admins")
                .queue("atlas.dqm.logging", "admins", "writers,admins", "writers,admins")
                .queue("atlas.dqm.panic", "admins", "admins", "admins")
                .writeTo(temp.resolve("security.txt"));
        BrokerProcess broker = BrokerProcess.builder(temp.resolve("broker")).security(security).start();

        // when/then: the logging queue takes the message, the panic queue answers with an ERROR frame
        try (RawStomp app = RawStomp.connect(broker.port(), "app", "app-pass")) {
            app.sendPersistentWithReceipt("/queue/atlas.dqm.logging", "fine");
            assertThat(app.sendPersistentAndReadReply("/queue/atlas.dqm.panic", "refused"))
                    .startsWith("ERROR\n").contains("not authorized to write to").contains("queue://atlas.dqm.panic");
        }
        try (RawStomp ops = RawStomp.connect(broker.port(), "ops", "ops-pass")) {
            ops.sendPersistentWithReceipt("/queue/atlas.dqm.panic", "allowed");
            ops.subscribe("/queue/atlas.dqm.logging");
            assertThat(ops.receiveBody()).isEqualTo("fine");
        }
        // a wrong passcode is a refused login, as with --user
        assertThatThrownBy(() -> RawStomp.connect(broker.port(), "app", "wrong")).isInstanceOf(IOException.class)
                .hasMessageContaining("ERROR");
    }

    @Test
    void aSecurityFileWithoutUsersOrWithABadLineIsRefusedNamingTheLine() {
        assertThatThrownBy(() -> BrokerSecurity.parse(List.of("queue a g g g")))
                .hasMessageContaining("no user");
        assertThatThrownBy(() -> BrokerSecurity.parse(List.of("user a secret-pass")))
                .hasMessageContaining("line 1").hasMessageNotContaining("secret-pass");
        assertThat(BrokerSecurity.parse(List.of("user a p g1,g2 # comment", "", "queue q.> g1 g2 -")).userNames())
                .containsExactly("a");
    }
}
