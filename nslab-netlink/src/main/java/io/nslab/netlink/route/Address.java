package io.nslab.netlink.route;

import io.nslab.netlink.wire.Attrs;
import io.nslab.netlink.wire.DecodeException;
import io.nslab.netlink.wire.NlMessage;
import io.nslab.netlink.wire.NlWriter;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

import static io.nslab.netlink.route.RtConst.*;

/**
 * An interface address as the kernel reports it (struct ifaddrmsg + IFA_*).
 * {@code local} is the interface's own address, {@code address} the peer on
 * point-to-point links (equal to local otherwise). Lifetimes are in seconds,
 * empty meaning forever. All attributes, known or not, are kept in
 * {@code attrs} so a decoded message re-encodes to the same bytes.
 */
public record Address(int family, int prefixLength, int flags, int scope, int index,
                      Optional<InetAddress> address, Optional<InetAddress> local,
                      Optional<InetAddress> broadcast, Optional<String> label,
                      OptionalLong validLifetime, OptionalLong preferredLifetime, Attrs attrs) {
    /** sizeof(struct ifaddrmsg). */
    public static final int HEADER_LEN = 8;
    /** Lifetime value meaning "forever" on the wire. */
    public static final long INFINITY = 0xffffffffL;

    public Address {
        Objects.requireNonNull(address);
        Objects.requireNonNull(local);
        Objects.requireNonNull(broadcast);
        Objects.requireNonNull(label);
        Objects.requireNonNull(validLifetime);
        Objects.requireNonNull(preferredLifetime);
        Objects.requireNonNull(attrs);
    }

    /** The interface's own address with its prefix length (IFA_LOCAL, else IFA_ADDRESS). */
    public IpPrefix prefix() {
        InetAddress a = local.or(() -> address).orElseThrow(() -> new IllegalStateException("address message without IFA_LOCAL/IFA_ADDRESS"));
        return new IpPrefix(a, prefixLength);
    }

    /** The peer of a point-to-point address, when it differs from local. */
    public Optional<InetAddress> peer() {
        return local.isPresent() && address.isPresent() && !local.get().equals(address.get()) ? address : Optional.empty();
    }

    public boolean has(int ifaFlag) { return (flags & ifaFlag) != 0; }
    public boolean permanent() { return has(IFA_F_PERMANENT); }
    public boolean secondary() { return has(IFA_F_SECONDARY); }
    public boolean tentative() { return has(IFA_F_TENTATIVE); }

    /** Decodes an RTM_NEWADDR / RTM_DELADDR message. */
    public static Address decode(NlMessage m) {
        if (m.type() != RTM_NEWADDR && m.type() != RTM_DELADDR) {
            throw new DecodeException("message type " + m.type() + " is not an address message", 4);
        }
        return decodeBody(m.payload());
    }

    /** Decodes the payload after the nlmsghdr: ifaddrmsg then attributes. */
    public static Address decodeBody(byte[] p) {
        if (p.length < HEADER_LEN) throw new DecodeException("address message shorter than ifaddrmsg (" + p.length + " bytes)", 16);
        ByteBuffer b = ByteBuffer.wrap(p).order(ByteOrder.nativeOrder());
        int family = b.get(0) & 0xff, plen = b.get(1) & 0xff, hflags = b.get(2) & 0xff, scope = b.get(3) & 0xff;
        int index = b.getInt(4);
        Attrs a = Attrs.parse(p, HEADER_LEN, p.length - HEADER_LEN);
        int flags = a.u32(IFA_FLAGS).orElse(hflags);
        OptionalLong valid = OptionalLong.empty(), preferred = OptionalLong.empty();
        var ci = a.get(IFA_CACHEINFO);
        if (ci.isPresent() && ci.get().length() >= 8) {
            ByteBuffer c = ByteBuffer.wrap(ci.get().bytes()).order(ByteOrder.nativeOrder());
            long pref = c.getInt(0) & 0xffffffffL, val = c.getInt(4) & 0xffffffffL;
            if (pref != INFINITY) preferred = OptionalLong.of(pref);
            if (val != INFINITY) valid = OptionalLong.of(val);
        }
        return new Address(family, plen, flags, scope, index, IpPrefix.attrAddress(a, IFA_ADDRESS), IpPrefix.attrAddress(a, IFA_LOCAL), IpPrefix.attrAddress(a, IFA_BROADCAST),
                a.string(IFA_LABEL), valid, preferred, a);
    }

    /** The message body (ifaddrmsg + the kept attributes), as the kernel sent it. */
    public byte[] encodeBody() {
        NlWriter w = new NlWriter(HEADER_LEN + 64);
        w.u8(family).u8(prefixLength).u8(flags & 0xff).u8(scope).u32(index);
        attrs.write(w);
        return w.toByteArray();
    }

    /** {@code 10.0.1.1/24} (with {@code peer P} for point-to-point), as {@code ip addr} shows it. */
    @Override public String toString() {
        String s = prefix().toString();
        return "Address[" + AddressFamily.name(family) + " " + s + peer().map(p -> " peer " + IpPrefix.text(p)).orElse("")
                + broadcast.map(x -> " brd " + IpPrefix.text(x)).orElse("") + " scope " + RouteNames.scope(scope)
                + label.map(l -> " " + l).orElse("") + " index " + index + " flags 0x" + Integer.toHexString(flags) + "]";
    }
}
