package org.dqlog.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessInfoTest {

    @TempDir
    Path dir;

    @Test
    void takesTheHostNameFromTheEnvironmentFirst() throws Exception {
        // given
        Path kernel = Files.write(dir.resolve("hostname"), "kernel-name\n".getBytes(StandardCharsets.UTF_8));

        // when
        String name = ProcessInfo.hostName(Collections.singletonMap("HOSTNAME", "LXPLUS901.cern.ch"), kernel,
                () -> "dns-name", Duration.ofSeconds(1));

        // then
        assertThat(name).isEqualTo("lxplus901");
    }

    @Test
    void takesTheHostNameFromTheKernelWhenTheEnvironmentHasNone() throws Exception {
        // given
        Path kernel = Files.write(dir.resolve("hostname"), "pc-atlas-dq.cern.ch\n".getBytes(StandardCharsets.UTF_8));

        // when
        String name = ProcessInfo.hostName(Collections.emptyMap(), kernel, () -> "dns-name", Duration.ofSeconds(1));

        // then
        assertThat(name).isEqualTo("pc-atlas-dq");
    }

    @Test
    void asksDnsWhenNeitherEnvironmentNorKernelTell() {
        // when
        String name = ProcessInfo.hostName(Map.of("HOSTNAME", " "), dir.resolve("missing"),
                () -> "dq-node7.cern.ch", Duration.ofSeconds(5));

        // then
        assertThat(name).isEqualTo("dq-node7");
    }

    @Test
    void givesUpOnAHangingDnsLookUpAndSaysUnknownHost() {
        // given: a resolver that never answers
        CountDownLatch never = new CountDownLatch(1);

        // when: bounded by the look-up timeout; the preemptive limit only catches a hang
        String name = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> ProcessInfo.hostName(
                Collections.emptyMap(), dir.resolve("missing"), () -> {
                    never.await();
                    return "too-late";
                }, Duration.ofMillis(200)));

        // then
        assertThat(name).isEqualTo("unknown-host");
    }

    @Test
    void saysUnknownHostWhenTheLookUpFails() {
        assertThat(ProcessInfo.hostName(Collections.emptyMap(), dir.resolve("missing"), () -> {
            throw new java.net.UnknownHostException("bad resolver");
        }, Duration.ofSeconds(5))).isEqualTo("unknown-host");
    }

    @Test
    void shortensHostNamesButNotAddresses() {
        assertThat(ProcessInfo.shortName("a.b.c")).isEqualTo("a");
        assertThat(ProcessInfo.shortName("10.0.0.7")).isEqualTo("10.0.0.7");
        assertThat(ProcessInfo.shortName("fe80::1")).isEqualTo("fe80::1");
        assertThat(ProcessInfo.shortName("localhost")).isNull();
        assertThat(ProcessInfo.shortName("")).isNull();
        assertThat(ProcessInfo.shortName(".x")).isNull();
    }

    @Test
    void namesTheAppAfterTheJarOrTheMainClass() {
        assertThat(ProcessInfo.appNameFrom("/opt/dq/dcs-calculator.jar -r 5")).isEqualTo("dcs-calculator");
        assertThat(ProcessInfo.appNameFrom("org.dq.web.Server --port 80")).isEqualTo("org.dq.web.Server");
        assertThat(ProcessInfo.appNameFrom("dq.module/org.dq.Tool")).isEqualTo("org.dq.Tool");
        assertThat(ProcessInfo.appNameFrom(null)).isEqualTo(ProcessInfo.DEFAULT_APP);
        assertThat(ProcessInfo.appNameFrom("  ")).isEqualTo(ProcessInfo.DEFAULT_APP);
    }

    @Test
    void describesTheCurrentProcess() {
        assertThat(ProcessInfo.pid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(ProcessInfo.workingDirectory()).isEqualTo(Paths.get("").toAbsolutePath().toString());
        assertThat(ProcessInfo.command()).contains("java");
        assertThat(ProcessInfo.commandLine()).startsWith(ProcessInfo.command());
        assertThat(ProcessInfo.hostName()).isNotBlank().isEqualTo(ProcessInfo.hostName());
        assertThat(ProcessInfo.defaultAppName()).isNotBlank();
    }
}
