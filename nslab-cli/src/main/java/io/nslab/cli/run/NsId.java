package io.nslab.cli.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A namespace's identity: device and inode of its nsfs file (stat follows /proc/PID/ns/net). */
record NsId(long dev, long ino) {
    static NsId of(Path p) throws IOException {
        return new NsId(((Number) Files.getAttribute(p, "unix:dev")).longValue(), ((Number) Files.getAttribute(p, "unix:ino")).longValue());
    }
}
