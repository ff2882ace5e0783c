package org.dqlog.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdFilterTest {

    @Test
    void neverSaysNoToAnAddedIdWhileGrowingAndSaysNoToMostOthers() {
        // given: a filter sized for 1,024 ids that must take 100,000 (it grows from its source)
        List<String> added = new ArrayList<>();
        IdFilter filter = new IdFilter(0, IdFilter.DEFAULT_MAX_BYTES);
        filter.refillFrom(action -> added.forEach(action));

        // when
        for (int i = 0; i < 100_000; i++) {
            String id = "k3q7vz0m2h5c-" + i;
            added.add(id);
            filter.add(id);
        }

        // then: no added id is denied, and about 1 % of the others are maybes
        assertThat(added).allMatch(filter::mightContain);
        int maybes = 0;
        for (int i = 0; i < 100_000; i++) {
            if (filter.mightContain("other-instance-" + i)) {
                maybes++;
            }
        }
        assertThat(maybes).isLessThan(3_000);
        assertThat(filter.saturated()).isFalse();
    }

    @Test
    void pastItsMemoryBoundOrWithoutASourceToGrowFromItSaysMaybeToEverything() {
        IdFilter bounded = new IdFilter(0, 16 * 1024);
        bounded.refillFrom(action -> { });
        IdFilter sourceless = new IdFilter(0, IdFilter.DEFAULT_MAX_BYTES);
        for (int i = 0; i < 50_000; i++) {
            bounded.add("id-" + i);
            sourceless.add("id-" + i);
        }

        assertThat(bounded.saturated()).isTrue();
        assertThat(bounded.mightContain("never-added")).isTrue();
        assertThat(sourceless.saturated()).isTrue();
        assertThat(sourceless.mightContain("never-added")).isTrue();
    }
}
