package io.nslab.net.cni;

import io.nslab.netlink.route.IpPrefix;

import java.math.BigInteger;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Hands out one address per range set, as host-local does: the next free one
 * after the set's last handed-out address, wrapping to the first range (an
 * address freed by DEL is not given again at once, so stale neighbour and
 * conntrack entries of the old container do not reach the new one). Pure: a
 * function of the stored state, called under the network's lock.
 */
final class CniAllocator {
    private CniAllocator() {}

    /** The addresses, one per set; {@code last} (one entry per set) is updated in place. */
    static List<Attachment.Ip> allocate(String network, List<List<IpamRange>> sets, CniStore.State st, List<String> last) throws CniError {
        Set<BigInteger> used = new HashSet<>();
        for (Attachment a : st.attachments()) for (Attachment.Ip ip : a.ips()) used.add(IpPrefix.number(ip.address().address()));
        while (last.size() < sets.size()) last.add("");
        List<Attachment.Ip> out = new ArrayList<>();
        for (int i = 0; i < sets.size(); i++) {
            List<IpamRange> set = sets.get(i);
            Attachment.Ip ip = next(set, i, used, last.get(i));
            if (ip == null)
                throw new CniError(CniError.OTHER, "network " + network + ": no free address left in ipam.ranges[" + i + "] " + set);
            used.add(IpPrefix.number(ip.address().address()));
            last.set(i, IpPrefix.text(ip.address().address()));
            out.add(ip);
        }
        return out;
    }

    private static Attachment.Ip next(List<IpamRange> set, int index, Set<BigInteger> used, String lastText) {
        // start after the last one handed out, when it still lies in one of the set's ranges
        int r0 = 0;
        BigInteger from = null;
        if (!lastText.isEmpty()) {
            InetAddress lastAddr = IpamConfig.addressOrNull(lastText);
            for (int r = 0; lastAddr != null && r < set.size(); r++)
                if (set.get(r).contains(lastAddr)) { r0 = r; from = IpPrefix.number(lastAddr).add(BigInteger.ONE); }
        }
        // the set's ranges in turn from the last one's range; the last step is that range again from its start
        for (int step = 0; step <= set.size(); step++) {
            int r = (r0 + step) % set.size();
            IpamRange range = set.get(r);
            BigInteger start = IpPrefix.number(range.start()), end = IpPrefix.number(range.end());
            BigInteger a = step == 0 && from != null ? from : start;
            BigInteger gw = IpPrefix.number(range.gateway());
            // at most |used| + 2 candidates are taken (each one is used or the gateway): no walk over a /64
            for (long tries = 0; a.compareTo(end) <= 0 && tries <= used.size() + 2L; a = a.add(BigInteger.ONE), tries++) {
                if (!used.contains(a) && !a.equals(gw)) return new Attachment.Ip(index, range.withLength(IpPrefix.fromNumber(a, range.ipv4())), range.gateway());
            }
        }
        return null;
    }
}
