package io.nslab.netlink;

import io.nslab.netlink.tc.Qdiscs;
import io.nslab.netlink.wire.Netlink;

/**
 * An rtnetlink session: one NETLINK_ROUTE socket, bound to the network
 * namespace of the thread that opened it, and the typed operations over it
 * ({@code rtnl.links().add(...)}, {@code rtnl.routes().dump(...)}).
 * Not thread-safe; open one per thread or namespace.
 */
public final class Rtnl implements AutoCloseable {
    private final NlSocket socket;
    private final Links links;
    private final Addresses addresses;
    private final Routes routes;
    private final Neighbours neighbours;
    private final Rules rules;
    private final Qdiscs qdiscs;
    private final Bridges bridges;

    private Rtnl(NlSocket socket) {
        this.socket = socket;
        this.links = new Links(socket);
        this.addresses = new Addresses(socket);
        this.routes = new Routes(socket);
        this.neighbours = new Neighbours(socket);
        this.rules = new Rules(socket);
        this.qdiscs = new Qdiscs(socket);
        this.bridges = new Bridges(socket);
    }

    /** Opens a session in the calling thread's network namespace. */
    public static Rtnl open() throws ErrnoException {
        return new Rtnl(NlSocket.open(Netlink.NETLINK_ROUTE));
    }

    /** The underlying socket, for pipelined batches of prebuilt requests. */
    public NlSocket socket() { return socket; }

    /** Links ({@code ip link}) over this session's socket. */
    public Links links() { return links; }

    /** Addresses ({@code ip addr}) over this session's socket. */
    public Addresses addresses() { return addresses; }

    /** Routes ({@code ip route}) over this session's socket. */
    public Routes routes() { return routes; }

    /** Neighbours ({@code ip neigh}) over this session's socket. */
    public Neighbours neighbours() { return neighbours; }

    /** Policy routing rules ({@code ip rule}) over this session's socket. */
    public Rules rules() { return rules; }

    /** Queueing disciplines ({@code tc qdisc}) over this session's socket. */
    public Qdiscs qdiscs() { return qdiscs; }

    /** Bridge ports, fdb and VLANs ({@code bridge link|fdb|vlan}) over this session's socket. */
    public Bridges bridges() { return bridges; }

    @Override public void close() { socket.close(); }
}
