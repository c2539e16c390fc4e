package io.nslab.lab.apply;

import io.nslab.netlink.netns.NetNsRegistry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * A named namespace's identity: the inode of the namespace bound on
 * /run/netns/NAME (stat of a bind mount gives the mounted nsfs inode, the
 * number {@code ip netns identify} and /proc/PID/ns/net show). A lab records
 * it in its journal when it makes the namespace, and {@code down} deletes a
 * namespace of that name only while it is still that one.
 */
final class NsInodes {
    private NsInodes() {}

    /** The inode of namespace {@code name}; empty if there is none by that name (or it is not a mount). */
    static OptionalLong of(String name) {
        try {
            Object ino = Files.getAttribute(NetNsRegistry.RUN_DIR.resolve(Path.of(name).getFileName()), "unix:ino");
            return ino instanceof Long l ? OptionalLong.of(l) : OptionalLong.empty();
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return OptionalLong.empty();
        }
    }
}
