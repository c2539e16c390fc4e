package io.nslab.cli.run;

import io.nslab.netlink.netns.NetNs;
import io.nslab.netlink.netns.NetNsException;

import java.io.IOException;
import java.util.List;

/**
 * Starts the user's process inside a namespace, as {@code ip netns exec} does.
 */
final class ProcessExec {
    private ProcessExec() {}

    static Process start(NetNs ns, List<String> command, boolean inheritIo) throws IOException, NetNsException {
        ProcessBuilder pb = new ProcessBuilder(command);
        if (inheritIo) pb.inheritIO();
        // ip netns exec semantics (own mount namespace, /sys of the namespace, /etc/netns/NAME) come from NetNs.start
        return ns.start(pb);
    }
}
