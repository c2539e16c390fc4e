package io.nslab.cli.run;

import io.nslab.netlink.netns.NetNs;
import io.nslab.netlink.netns.NetNsException;

import java.io.IOException;
import java.util.List;

/**
 * Starts the user's process inside a namespace: the child of a thread that
 * has entered the namespace is born in it.
 */
final class ProcessExec {
    private ProcessExec() {}

    static Process start(NetNs ns, List<String> command, boolean inheritIo) throws IOException, NetNsException {
        ProcessBuilder pb = new ProcessBuilder(command);
        if (inheritIo) pb.inheritIO();
        return ns.call(pb::start);
    }
}
