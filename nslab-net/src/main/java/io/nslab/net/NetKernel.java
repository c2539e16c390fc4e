package io.nslab.net;

import io.nslab.netlink.nft.ConntrackFlush;
import io.nslab.netlink.nft.Table;
import io.nslab.netlink.nft.TableRef;
import io.nslab.netlink.nft.Transaction;
import io.nslab.netlink.route.IpPrefix;
import io.nslab.state.Marker;

import java.net.InetAddress;
import java.util.Optional;

/**
 * The kernel operations a network needs, each one a single step the engine
 * can undo. {@code ns} empty means the namespace nslab runs in; a name means
 * a persistent namespace under {@code /run/netns}. {@link NetlinkKernel} is
 * the real one; tests of the engine's bookkeeping use a fake.
 */
public interface NetKernel {
    boolean namespaceExists(String ns);

    boolean linkExists(Optional<String> ns, String name) throws NetException;

    /** A bridge with the gateway address, up, carrying the network's mark ({@code owner}) from the moment it exists. */
    void addBridge(Optional<String> ns, String bridge, IpPrefix gateway, Marker owner) throws NetException;

    /**
     * Deletes a link the network made: only while the link of that name
     * carries {@code owner}'s mark (and then by the ifindex it was found
     * with); no error if it is already gone (or its namespace is). A link of
     * that name without the mark is someone else's: it is left alone and
     * {@link NotOwnedException} says so.
     */
    void deleteLink(Optional<String> ns, String name, Marker owner) throws NetException;

    /**
     * A veth pair: {@code hostIf} in {@code hostNs}, enslaved to {@code bridge}
     * and up, carrying {@code owner}'s mark from the moment it exists; its
     * peer {@code ifname} in {@code ns} with {@code address}, up,
     * loopback up, default route via {@code gateway}.
     */
    void addVeth(Optional<String> hostNs, String bridge, String hostIf, String ns, String ifname,
                 IpPrefix address, InetAddress gateway, Marker owner) throws NetException;

    Optional<String> sysctl(Optional<String> ns, String key) throws NetException;

    void setSysctl(Optional<String> ns, String key, String value) throws NetException;

    /** One atomic nftables transaction. */
    void nft(Optional<String> ns, Transaction tx) throws NetException;

    boolean tableExists(Optional<String> ns, TableRef table) throws NetException;

    /** The table as the kernel holds it ({@code nft -j list table}), empty if absent. */
    Optional<Table> listTable(Optional<String> ns, TableRef table) throws NetException;

    /** Deletes the conntrack entries of a published port (after its target changed). */
    void flushConntrack(Optional<String> ns, ConntrackFlush flush) throws NetException;
}
