package io.nslab.netlink.nft;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * Which conntrack entries to flush when the container behind a published UDP
 * port is replaced. This is a value only: nf_tables cannot delete conntrack
 * entries, so the deletion is a NETLINK_NETFILTER request that the netlink
 * layer sends; its exact layout is specified here.
 *
 * <h2>Why</h2>
 * NAT is decided once per conntrack entry, on its first packet. A UDP client
 * that keeps sending to HOST:8080 keeps refreshing its entry (UDP timeout 30 s,
 * 120 s once "assured"), so after the container behind 8080 is replaced its
 * packets still go to the old container address, or to nowhere if the entry
 * was created before the DNAT rule existed. Docker and the CNI portmap plugin
 * therefore delete entries whose ORIGINAL tuple is {@code udp, dport = HOSTPORT}
 * (and {@code dst = HOSTIP} when the port is bound to one address), in every
 * namespace where the DNAT happens, after the new rules are committed (flushing
 * before would let a packet recreate the stale, un-NATed entry).
 *
 * <h2>Options considered</h2>
 * <ol>
 * <li>nf_tables: no. nf_tables has no statement that deletes
 *     conntrack entries ({@code ct} can set mark/label/helper/timeout, not delete).</li>
 * <li>Spawning {@code conntrack -D -p udp --orig-port-dst 8080} (conntrack-tools):
 *     works, but is the process-per-change cost this project avoids, and is
 *     not installed by default.</li>
 * <li><b>Filtered flush in the kernel</b> (preferred; mainline since mid-2024, present
 *     in 6.12 LTS: commit "netfilter: ctnetlink: support CTA_FILTER for flush";
 *     this machine runs 6.18):
 *     one {@code IPCTNL_MSG_CT_DELETE} carrying a partial {@code CTA_TUPLE_ORIG}
 *     plus {@code CTA_FILTER}; the kernel walks the table and deletes matches.
 *     Layout A below.</li>
 * <li><b>Dump + exact delete</b> (fallback for older kernels, what
 *     vishvananda/netlink's {@code ConntrackDeleteFilters} does): an
 *     {@code IPCTNL_MSG_CT_GET} dump (with the same filter, which dumps accept since 5.8),
 *     then one {@code IPCTNL_MSG_CT_DELETE} per entry with its complete original
 *     tuple; ENOENT means it expired meanwhile and is success. Layout B below.
 *     Use it when A fails with EINVAL (older kernels parse the partial
 *     CTA_TUPLE_ORIG as an exact tuple and miss its source fields) or EOPNOTSUPP
 *     (older kernels refuse CTA_FILTER in a flush).</li>
 * </ol>
 *
 * <h2>Layout A: filtered flush (all integers little-endian unless "be")</h2>
 * Sent on {@code socket(AF_NETLINK, SOCK_RAW, NETLINK_NETFILTER = 12)} opened in
 * the namespace whose conntrack table holds the entries; needs CAP_NET_ADMIN there.
 * <pre>
 * struct nlmsghdr                                   16 bytes
 *   u32 nlmsg_len    total length
 *   u16 nlmsg_type   (NFNL_SUBSYS_CTNETLINK=1 &lt;&lt; 8) | IPCTNL_MSG_CT_DELETE=2 = 0x0102
 *   u16 nlmsg_flags  NLM_F_REQUEST|NLM_F_ACK = 0x0005
 *   u32 nlmsg_seq, u32 nlmsg_pid = 0
 * struct nfgenmsg                                   4 bytes
 *   u8  nfgen_family AF_INET=2 | AF_INET6=10   (must be one of these: it is the l3 of the filter)
 *   u8  version      NFNETLINK_V0=0
 *   be16 res_id      0
 * nlattr CTA_TUPLE_ORIG = 1 | NLA_F_NESTED (0x8000)
 *   nlattr CTA_TUPLE_PROTO = 2 | NLA_F_NESTED
 *     nlattr CTA_PROTO_NUM = 1       u8   17 (IPPROTO_UDP)        len 5, padded to 8
 *     nlattr CTA_PROTO_DST_PORT = 3  be16 HOSTPORT                len 6, padded to 8
 *   [only when bound to one host address:]
 *   nlattr CTA_TUPLE_IP = 1 | NLA_F_NESTED
 *     nlattr CTA_IP_V4_DST = 2       be32 HOSTIP                  len 8
 *       or   CTA_IP_V6_DST = 4       16 bytes                     len 20
 * nlattr CTA_FILTER = 25 | NLA_F_NESTED   (NLA_F_NESTED is REQUIRED here: the kernel
 *                                          parses CTA_FILTER with strict nla_parse_nested)
 *   nlattr CTA_FILTER_ORIG_FLAGS = 1 u32 (host order)
 *       CTA_FILTER_F_CTA_PROTO_NUM (1&lt;&lt;3) | CTA_FILTER_F_CTA_PROTO_DST_PORT (1&lt;&lt;5)
 *       [| CTA_FILTER_F_CTA_IP_DST (1&lt;&lt;1)]            = 0x28 [0x2a]
 * </pre>
 * Golden bytes, IPv4, udp dport 8080, any host address, seq 1 (56 bytes):
 * <pre>
 * 38 00 00 00  02 01  05 00  01 00 00 00  00 00 00 00   nlmsghdr: len 56, 0x0102, REQUEST|ACK, seq 1, pid 0
 * 02 00 00 00                                           nfgenmsg: AF_INET, v0, res_id 0
 * 18 00 01 80                                           CTA_TUPLE_ORIG, len 24, nested
 *   14 00 02 80                                         CTA_TUPLE_PROTO, len 20, nested
 *     05 00 01 00  11 00 00 00                          CTA_PROTO_NUM = 17, 3 pad bytes
 *     06 00 03 00  1f 90 00 00                          CTA_PROTO_DST_PORT = 8080 (be), 2 pad bytes
 * 0c 00 19 80                                           CTA_FILTER, len 12, nested
 *   08 00 01 00  28 00 00 00                            CTA_FILTER_ORIG_FLAGS = 0x28
 * </pre>
 * Reply: an NLMSG_ERROR with error 0 (also when nothing matched). One request per
 * IP version when the port is published for both.
 *
 * <h2>Layout B: dump, then delete each</h2>
 * Dump request: same header with {@code nlmsg_type = 0x0101} (IPCTNL_MSG_CT_GET) and
 * {@code nlmsg_flags = NLM_F_REQUEST|NLM_F_DUMP = 0x0301}, same nfgenmsg, and
 * optionally the same CTA_TUPLE_ORIG + CTA_FILTER attributes (kernel-side dump
 * filtering, Linux 5.8+; without them filter in Java). Each reply message has
 * type 0x0100 (IPCTNL_MSG_CT_NEW) with CTA_TUPLE_ORIG {CTA_TUPLE_IP {V4_SRC,
 * V4_DST}, CTA_TUPLE_PROTO {NUM, SRC_PORT, DST_PORT}, [CTA_TUPLE_ZONE]},
 * CTA_TUPLE_REPLY {...}, [CTA_ZONE = 18, be16], CTA_ID = 12 (be32), ...; the dump
 * ends with NLMSG_DONE. For each match send type 0x0102, flags 0x0005, and a
 * COMPLETE CTA_TUPLE_ORIG (an exact lookup needs IP src+dst and proto
 * num+src port+dst port), CTA_ZONE if the entry had one, and CTA_ID so a
 * recycled entry with the same tuple is not deleted; treat ENOENT as success.
 */
public record ConntrackFlush(boolean ipv6, Proto proto, int hostPort, Optional<InetAddress> hostIp) {
    /** nfnetlink: subsystem and message numbers used above. */
    public static final int NETLINK_NETFILTER = 12, NFNL_SUBSYS_CTNETLINK = 1,
            IPCTNL_MSG_CT_NEW = 0, IPCTNL_MSG_CT_GET = 1, IPCTNL_MSG_CT_DELETE = 2;
    /** enum ctattr_type / ctattr_tuple / ctattr_ip / ctattr_l4proto / ctattr_filter. */
    public static final int CTA_TUPLE_ORIG = 1, CTA_TUPLE_REPLY = 2, CTA_ID = 12, CTA_ZONE = 18, CTA_FILTER = 25,
            CTA_TUPLE_IP = 1, CTA_TUPLE_PROTO = 2, CTA_TUPLE_ZONE = 3,
            CTA_IP_V4_SRC = 1, CTA_IP_V4_DST = 2, CTA_IP_V6_SRC = 3, CTA_IP_V6_DST = 4,
            CTA_PROTO_NUM = 1, CTA_PROTO_SRC_PORT = 2, CTA_PROTO_DST_PORT = 3,
            CTA_FILTER_ORIG_FLAGS = 1, CTA_FILTER_REPLY_FLAGS = 2;
    /** CTA_FILTER_F_* (kernel net/netfilter/nf_internals.h; not in the uapi headers). */
    public static final int CTA_FILTER_F_CTA_IP_SRC = 1, CTA_FILTER_F_CTA_IP_DST = 1 << 1,
            CTA_FILTER_F_CTA_TUPLE_ZONE = 1 << 2, CTA_FILTER_F_CTA_PROTO_NUM = 1 << 3,
            CTA_FILTER_F_CTA_PROTO_SRC_PORT = 1 << 4, CTA_FILTER_F_CTA_PROTO_DST_PORT = 1 << 5;

    public ConntrackFlush {
        Objects.requireNonNull(proto, "proto");
        Objects.requireNonNull(hostIp, "hostIp");
        Names.port("host port", hostPort, 1);
        hostIp.ifPresent(h -> {
            if ((h instanceof Inet4Address) == ipv6)
                throw new IllegalArgumentException("host address " + h.getHostAddress() + " is not " + (ipv6 ? "IPv6" : "IPv4"));
        });
    }

    /** The flush that goes with replacing the container behind {@code m}. */
    public static ConntrackFlush forMapping(PortMapping m) {
        return new ConntrackFlush(m.isIpv6(), m.proto(), m.hostPort(), m.hostIp());
    }

    /** nfgenmsg.nfgen_family. */
    public int nfgenFamily() {
        return ipv6 ? 10 : 2;
    }

    /** The CTA_FILTER_ORIG_FLAGS value: protocol + destination port [+ destination address]. */
    public int origFilterFlags() {
        int f = CTA_FILTER_F_CTA_PROTO_NUM | CTA_FILTER_F_CTA_PROTO_DST_PORT;
        return hostIp.isPresent() ? f | CTA_FILTER_F_CTA_IP_DST : f;
    }
}
