package io.nslab.netlink;

import io.nslab.netlink.wire.Netlink;

/**
 * An rtnetlink session: one NETLINK_ROUTE socket, bound to the network
 * namespace of the thread that opened it, and the typed operations over it.
 * Not thread-safe; open one per thread or namespace.
 */
public final class Rtnl implements AutoCloseable {
    private final NlSocket socket;

    private Rtnl(NlSocket socket) {
        this.socket = socket;
    }

    /** Opens a session in the calling thread's network namespace. */
    public static Rtnl open() throws ErrnoException {
        return new Rtnl(NlSocket.open(Netlink.NETLINK_ROUTE));
    }

    /** The underlying socket, for pipelined batches of prebuilt requests. */
    public NlSocket socket() { return socket; }

    @Override public void close() { socket.close(); }
}
