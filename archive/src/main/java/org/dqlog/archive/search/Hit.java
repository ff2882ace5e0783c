package org.dqlog.archive.search;

/**
 * One record found: its place in time order and its stored fields (id, host directory, the exact
 * line of the per-host file).
 */
public record Hit(Position position, String id, String hostDir, String line) { }
