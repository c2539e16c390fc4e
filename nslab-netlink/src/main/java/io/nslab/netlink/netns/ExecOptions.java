package io.nslab.netlink.netns;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@code ip netns exec} sets up around the process besides the network
 * namespace: a fresh /sys, and the files of a directory (normally
 * /etc/netns/NAME) bound over /etc.
 */
public record ExecOptions(boolean remountSys, Optional<Path> etcDir) {
    /** iproute2's behaviour for namespace {@code name}. */
    public static ExecOptions forName(String name) {
        return new ExecOptions(true, Optional.of(NetNs.ETC_DIR.resolve(name)));
    }

    /** For a namespace without a name: /sys remounted, nothing bound over /etc. */
    public static ExecOptions unnamed() {
        return new ExecOptions(true, Optional.empty());
    }

    /** The same, with the /etc overlay taken from {@code dir} instead. */
    public ExecOptions withEtcDir(Path dir) {
        return new ExecOptions(remountSys, Optional.of(dir));
    }
}
