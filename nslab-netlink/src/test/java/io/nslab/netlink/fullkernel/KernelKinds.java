package io.nslab.netlink.fullkernel;

import io.nslab.netlink.NlRequest;
import io.nslab.netlink.Rtnl;
import io.nslab.netlink.Errno;
import io.nslab.netlink.ErrnoException;
import io.nslab.netlink.testing.ScratchNs;
import io.nslab.netlink.wire.Netlink;
import io.nslab.netlink.wire.NlWriter;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static io.nslab.netlink.route.LinkConst.IFLA_IFNAME;
import static io.nslab.netlink.route.LinkConst.IFLA_INFO_KIND;
import static io.nslab.netlink.route.LinkConst.IFLA_LINKINFO;
import static io.nslab.netlink.route.RtConst.RTM_NEWLINK;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Which link kinds the running kernel supports, and the lane's rule for tests
 * that need one: on the build machines (no 802.1Q, IPVLAN, dummy, VRF,
 * GRE/IPIP) such a test is skipped with the missing kernel option as reason;
 * in the full-kernel lane ({@code -Dnslab.fullKernel=true}, a stock Debian
 * kernel) a missing kind is a failure, never a skip.
 */
final class KernelKinds {
    /** Probe answers per kind for this JVM (the kernel does not change under it). */
    private static final Map<String, Boolean> PRESENT = new ConcurrentHashMap<>();

    private KernelKinds() {}

    static boolean fullKernelLane() { return Boolean.getBoolean("nslab.fullKernel"); }

    /**
     * Skips the test here, fails it in the full-kernel lane, when the kernel
     * has no rtnetlink kind {@code kind} (as {@code ip link add ... type KIND} names it).
     */
    static void requireKind(String kind, String configOption) {
        boolean present = kernelHas(kind);
        if (fullKernelLane()) {
            assertTrue(present, "link kind " + kind + " must work on the full kernel (" + configOption + ")");
        } else {
            assumeTrue(present, "kernel lacks " + configOption);
        }
    }

    /**
     * Whether {@code ip link add NAME type KIND} would find the kind: an
     * RTM_NEWLINK carrying only a name and IFLA_INFO_KIND, sent in a throwaway
     * namespace. The kernel answers EOPNOTSUPP ("Unknown device type") only
     * when no module provides the kind (after trying to autoload it); any other
     * answer, success included, means the kind exists.
     */
    static boolean kernelHas(String kind) {
        return PRESENT.computeIfAbsent(kind, KernelKinds::probe);
    }

    private static boolean probe(String kind) {
        try (ScratchNs ns = ScratchNs.create()) {
            return ns.call(() -> {
                try (Rtnl rtnl = Rtnl.open()) {
                    rtnl.socket().execute(newLinkOfKind("nslabprobe0", kind));
                    return true;
                } catch (ErrnoException e) {
                    return !e.is(Errno.EOPNOTSUPP);
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException("probing link kind " + kind + ": " + e.getMessage(), e);
        }
    }

    private static NlRequest newLinkOfKind(String name, String kind) {
        NlWriter w = new NlWriter(128);
        w.u8(0).u8(0).u16(0).u32(0).u32(0).u32(0); // struct ifinfomsg: AF_UNSPEC, no index/flags
        w.attrString(IFLA_IFNAME, name);
        int info = w.beginNest(IFLA_LINKINFO);
        w.attrString(IFLA_INFO_KIND, kind);
        w.endNest(info);
        return new NlRequest(RTM_NEWLINK, Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL, w.toByteArray(),
                "link add " + name + " type " + kind);
    }
}
