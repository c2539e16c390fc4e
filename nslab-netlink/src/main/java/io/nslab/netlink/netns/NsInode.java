package io.nslab.netlink.netns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What makes two namespace references the same namespace: the device and
 * inode of the nsfs file they resolve to (what iproute2's identify compares).
 */
public record NsInode(long dev, long ino) {
    /** stat(2) of {@code p}, following the /proc magic link to the nsfs inode. */
    static NsInode of(Path p) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:dev,ino");
        return new NsInode((Long) a.get("dev"), (Long) a.get("ino"));
    }
}
