package org.dqlog.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny run of the harness: the generator's expected counts agree with grep over the files and with dqlog search. */
class SearchVsGrepTest {

    @TempDir
    Path dir;

    @Test
    void grepAndDqlogSearchFindTheRecordsTheGeneratorPlanted() throws Exception {
        // given 5,000 records in small rolled files (rolled files gzipped)
        SearchVsGrep.Expected expected = SearchVsGrep.generateIfMissing(dir, 5_000, 64 * 1024);
        SearchVsGrep.decompressCopy(dir.resolve("logs"), dir.resolve("plain"));
        assertThat(expected.broad()).isPositive();

        // when / then: the broad query over the compressed files and the uncompressed copy
        assertThat(new SearchVsGrep.Command("broad", "zcat", expected.broad(),
                "zcat -f '" + dir.resolve("logs") + "'/*/* | LC_ALL=C grep -cE '" + SearchVsGrep.GREP_BROAD + "'").runOnce())
                .isEqualTo(expected.broad());
        assertThat(new SearchVsGrep.Command("broad", "grep -r", expected.broad(),
                "LC_ALL=C grep -rhE '" + SearchVsGrep.GREP_BROAD + "' '" + dir.resolve("plain") + "' | wc -l").runOnce())
                .isEqualTo(expected.broad());
        assertThat(new SearchVsGrep.Command("selective", "zcat", expected.selective(),
                "zcat -f '" + dir.resolve("logs") + "'/*/* | LC_ALL=C grep -cE '" + SearchVsGrep.GREP_SELECTIVE + "'").runOnce())
                .isEqualTo(expected.selective());
        // and dqlog search, in its own JVM as users run it
        String java = org.dqlog.testkit.ChildProcess.javaExecutable();
        assertThat(new SearchVsGrep.Command("broad", "dqlog", expected.broad(),
                "'" + java + "' -XX:TieredStopAtLevel=1 -cp '" + System.getProperty("java.class.path")
                        + "' org.dqlog.cli.Main search --data '" + dir + "' -c " + SearchVsGrep.RARE_WORD).runOnce())
                .isEqualTo(expected.broad());
    }
}
