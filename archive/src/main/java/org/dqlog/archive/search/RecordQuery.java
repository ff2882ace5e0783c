package org.dqlog.archive.search;

/**
 * A query with its filters, checked and translated by the backend that made it
 * ({@link org.dqlog.archive.IndexBackend#query}); pass it only to searches of that backend.
 */
public interface RecordQuery { }
