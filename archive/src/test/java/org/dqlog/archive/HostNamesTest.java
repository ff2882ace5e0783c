package org.dqlog.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HostNamesTest {

    @Test
    void goodHostNamesAreKeptLowerCased() {
        assertThat(HostNames.sanitize("pc-tier0-01.cern.ch")).isEqualTo("pc-tier0-01.cern.ch");
        assertThat(HostNames.sanitize("PC-Tier0_01")).isEqualTo("pc-tier0_01");
    }

    @Test
    void missingHostsGoToTheUnknownHostDirectory() {
        assertThat(HostNames.sanitize(null)).isEqualTo("_unknown-host");
        assertThat(HostNames.sanitize("")).isEqualTo("_unknown-host");
        assertThat(HostNames.sanitize("  \t")).isEqualTo("_unknown-host");
    }

    @Test
    void hostileNamesStayInsideTheLogsDirectoryAndApart() {
        // given
        List<String> hostile = List.of("..", ".", "../../etc", "/", "/etc/passwd", "a/../../b", "C:\\Windows\\x",
                "nul\u0000byte", "h\u00f6st", "\u4e3b\u673a", "x".repeat(10_000), "x".repeat(65), "-rf", ".hidden",
                "_unknown-host", "_invalid-x-0123456789ab", "a..b", "host name", "host\nname");
        Path logs = Path.of("/data/logs");
        Set<String> dirs = new HashSet<>();

        for (String host : hostile) {
            // when
            String dir = HostNames.sanitize(host);

            // then
            assertThat(dir).as(host).startsWith("_invalid-").hasSizeLessThanOrEqualTo(HostNames.MAX_LENGTH)
                    .matches("[a-z0-9._-]+").doesNotContain("..");
            assertThat(logs.resolve(dir).normalize().getParent()).isEqualTo(logs);
            assertThat(HostNames.isDirectoryName(dir)).isTrue();
            dirs.add(dir);
        }
        assertThat(dirs).hasSize(hostile.size());
    }

    @Test
    void theSlugLetsAnOperatorRecogniseTheName() {
        assertThat(HostNames.sanitize("../../etc")).matches("_invalid-etc-[0-9a-f]{12}");
        assertThat(HostNames.sanitize("C:\\Windows")).matches("_invalid-c-windows-[0-9a-f]{12}");
    }

    @Test
    void theSameBadNameAlwaysMapsToTheSameDirectory() {
        assertThat(HostNames.sanitize("a/b")).isEqualTo(HostNames.sanitize("a/b")).isNotEqualTo(HostNames.sanitize("a\\b"));
    }
}
