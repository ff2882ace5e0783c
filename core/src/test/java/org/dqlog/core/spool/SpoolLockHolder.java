package org.dqlog.core.spool;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

import org.dqlog.core.Level;
import org.dqlog.core.Status;

/**
 * Child process for {@link DiskSpoolLockTest}. {@code hold DIR N}: opens the spool, appends N
 * INFO records {@code child-0..}, prints {@code HELD}, and keeps the spool until stdin ends.
 * {@code try DIR}: prints {@code LOCKED <message>} if the spool is locked, else {@code OPENED}.
 */
public final class SpoolLockHolder {

    private SpoolLockHolder() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[1]);
        if (args[0].equals("try")) {
            try (DiskSpool spool = DiskSpool.open(dir, 1_000_000, new DropCounter(), Status.SILENT)) {
                System.out.println("OPENED " + spool.directory());
            } catch (SpoolLockedException e) {
                System.out.println("LOCKED " + e.getMessage());
            }
            return;
        }
        DiskSpool spool = DiskSpool.open(dir, 1_000_000, new DropCounter(), Status.SILENT);
        int count = Integer.parseInt(args[2]);
        for (int i = 0; i < count; i++) {
            spool.append(Entries.log("child-" + i, Level.INFO));
        }
        System.out.println("HELD");
        System.out.flush();
        InputStream in = System.in;
        while (in.read() >= 0) {
            // keeps the spool open until the parent goes away
        }
        spool.close();
    }
}
