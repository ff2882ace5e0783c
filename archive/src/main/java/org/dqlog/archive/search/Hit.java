package org.dqlog.archive.search;

import org.apache.lucene.search.FieldDoc;

/**
 * One record found: its place in the sort order ({@code key}: ts, rts, doc) and the stored
 * fields that were asked for (null when not loaded).
 */
public record Hit(FieldDoc key, String id, String hostDir, String line) { }
