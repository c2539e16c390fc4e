package io.nslab.netlink;

import io.nslab.netlink.route.Address;
import io.nslab.netlink.route.AddressFamily;
import io.nslab.netlink.route.AddressRequests;
import io.nslab.netlink.route.AddressSpec;
import io.nslab.netlink.route.IpPrefix;
import io.nslab.netlink.route.LinkConst;
import io.nslab.netlink.route.RtConst;
import io.nslab.netlink.wire.NlMessage;
import io.nslab.netlink.wire.NlWriter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Interface addresses over one rtnetlink socket: {@code ip addr add/del/show/flush}.
 * Devices are given by index, or by name (looked up with one RTM_GETLINK).
 * Errors read like {@code addr add 10.0.1.1/24 dev veth0 failed: EEXIST (File exists)}.
 */
public final class Addresses {
    private final NlSocket socket;

    public Addresses(NlSocket socket) { this.socket = socket; }

    public void add(int index, IpPrefix prefix) throws ErrnoException { add(AddressSpec.of(index, prefix)); }
    public void add(String device, IpPrefix prefix) throws ErrnoException { add(AddressSpec.of(device, prefix)); }

    public void add(AddressSpec spec) throws ErrnoException {
        socket.execute(AddressRequests.add(resolved(spec, "addr add")));
    }

    /** {@code ip addr replace}: adds, or updates an existing address's lifetimes/flags/broadcast. */
    public void replace(AddressSpec spec) throws ErrnoException {
        socket.execute(AddressRequests.replace(resolved(spec, "addr replace")));
    }

    public void del(int index, IpPrefix prefix) throws ErrnoException { del(AddressSpec.of(index, prefix)); }
    public void del(String device, IpPrefix prefix) throws ErrnoException { del(AddressSpec.of(device, prefix)); }

    public void del(AddressSpec spec) throws ErrnoException {
        socket.execute(AddressRequests.del(resolved(spec, "addr del")));
    }

    public void del(Address a) throws ErrnoException { socket.execute(AddressRequests.del(a)); }

    /** Every address of every family, like {@code ip addr show}. */
    public List<Address> dump() throws ErrnoException { return dump(AddressFamily.UNSPEC, OptionalInt.empty()); }

    /** Addresses of one family ({@link AddressFamily#INET}, {@link AddressFamily#INET6}). */
    public List<Address> dump(int family) throws ErrnoException { return dump(family, OptionalInt.empty()); }

    /** Addresses of one device (any family). */
    public List<Address> list(int index) throws ErrnoException { return dump(AddressFamily.UNSPEC, OptionalInt.of(index)); }

    public List<Address> list(String device) throws ErrnoException {
        return list(Addresses.index(socket, device, "addr show dev " + device));
    }

    /** Addresses filtered by family (UNSPEC = all) and optionally device. */
    public List<Address> dump(int family, OptionalInt index) throws ErrnoException {
        List<Address> out = new ArrayList<>();
        for (NlMessage m : socket.dump(AddressRequests.dump(family, index))) {
            if (m.type() != RtConst.RTM_NEWADDR) continue;
            Address a = Address.decode(m);
            // the kernel filters too (strict checking); this keeps older kernels honest
            if (family != AddressFamily.UNSPEC && a.family() != family) continue;
            if (index.isPresent() && a.index() != index.getAsInt()) continue;
            out.add(a);
        }
        return out;
    }

    /**
     * {@code ip addr flush dev D [family]}: deletes the device's addresses,
     * pipelined. Deleting an IPv4 primary also removes its secondaries, so
     * "not there any more" is not an error. Returns how many were deleted.
     */
    public int flush(int index, int family) throws ErrnoException {
        List<Address> all = dump(family, OptionalInt.of(index));
        List<NlRequest> reqs = new ArrayList<>();
        for (Address a : all) reqs.add(AddressRequests.del(a));
        return Deletions.run(socket, reqs, Errno.EADDRNOTAVAIL);
    }

    public int flush(int index) throws ErrnoException { return flush(index, AddressFamily.UNSPEC); }

    public int flush(String device) throws ErrnoException {
        return flush(Addresses.index(socket, device, "addr flush dev " + device), AddressFamily.UNSPEC);
    }

    private AddressSpec resolved(AddressSpec s, String verb) throws ErrnoException {
        if (s.index().isPresent()) return s;
        String dev = s.device().orElseThrow();
        return s.withIndex(index(socket, dev, verb + " " + s.local() + " dev " + dev));
    }

    /**
     * The index of device {@code name} in the socket's namespace (one
     * RTM_GETLINK); a missing device fails as {@code WHAT failed: ENODEV (No
     * such device): Cannot find device "NAME"}, like iproute2 says it.
     */
    static int index(NlSocket socket, String name, String what) throws ErrnoException {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        if (n.length == 0 || n.length > 15 || name.indexOf('/') >= 0 || name.chars().anyMatch(Character::isWhitespace)) {
            throw new ErrnoException(what, Errno.ENODEV, "\"" + name + "\" is not a valid device name");
        }
        NlWriter w = new NlWriter(48);
        w.zeros(16);
        w.attrString(LinkConst.IFLA_IFNAME, name);
        w.attrU32(LinkConst.IFLA_EXT_MASK, RtConst.RTEXT_FILTER_SKIP_STATS);
        List<NlMessage> r;
        try {
            r = socket.query(new NlRequest(RtConst.RTM_GETLINK, 0, w.toByteArray(), what));
        } catch (ErrnoException e) {
            if (e.is(Errno.ENODEV)) throw new ErrnoException(what, Errno.ENODEV, "Cannot find device \"" + name + "\"");
            throw e;
        }
        for (NlMessage m : r) {
            if (m.type() == RtConst.RTM_NEWLINK && m.payloadLength() >= 8) return m.payloadBuffer().getInt(4);
        }
        throw new ErrnoException(what, Errno.ENODEV, "Cannot find device \"" + name + "\"");
    }
}
