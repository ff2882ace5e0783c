package org.dqlog.archive;

/**
 * How far a host's active file is known to be written and indexed: the file's identity (its
 * file-system key, the inode on Unix, which a rename keeps, with a hash of its first line, since
 * an inode is reused once a rolled file is compressed: see {@link LogLayout#fileKey}) and a byte
 * offset at a line boundary. Recovery reads a file from here when its identity matches, and
 * whole otherwise (as for positions recorded before identities had a first-line hash).
 *
 * @param hostDir the host's directory name (see {@link HostNames})
 * @param fileKey the identity of the file, or null where the file system has none
 * @param offset  byte offset just after the last complete line covered
 */
public record FilePosition(String hostDir, String fileKey, long offset) {

    /** Encoded as one string, for an index to keep with its commit: {@code <offset>|<fileKey>}. */
    public String encode() {
        return offset + "|" + (fileKey == null ? "" : fileKey);
    }

    /** Reads {@link #encode()}'s form; null if it is not of that form. */
    public static FilePosition decode(String hostDir, String encoded) {
        int bar = encoded.indexOf('|');
        if (bar <= 0) {
            return null;
        }
        try {
            long offset = Long.parseLong(encoded.substring(0, bar));
            String key = encoded.substring(bar + 1);
            return new FilePosition(hostDir, key.isEmpty() ? null : key, offset);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
