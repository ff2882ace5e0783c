package org.dqlog.cli;

import org.dqlog.archive.IndexBackend;

/** The grep equivalence of {@code dqlog search} over the local Lucene index. */
class LuceneGrepEquivalenceTest extends GrepEquivalenceTest {

    @Override
    IndexBackend backend() {
        return IndexBackend.local();
    }
}
