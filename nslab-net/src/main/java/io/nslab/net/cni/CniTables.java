package io.nslab.net.cni;

import io.nslab.netlink.nft.BridgeNat;
import io.nslab.netlink.nft.Command;
import io.nslab.netlink.nft.Family;
import io.nslab.netlink.nft.PortMapping;
import io.nslab.netlink.nft.TableRef;
import io.nslab.netlink.nft.Transaction;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The NAT of a CNI network with {@code ipMasq}: the library's {@link BridgeNat}
 * recipe (masquerade, published ports as map elements, hairpin, 127.0.0.1
 * publishing), one table per IP version ({@code ip cni-NAME}, {@code ip6
 * cni-NAME}), rewritten whole from the stored attachments in one atomic
 * transaction per change, so a failed ADD restores it by rewriting it from
 * the state before.
 */
final class CniTables {
    static final String PREFIX = "cni-";

    private CniTables() {}

    static TableRef table(String network, boolean ipv4) {
        return new TableRef(ipv4 ? Family.IP : Family.IP6, PREFIX + network);
    }

    static Transaction replace(CniConfig cfg, List<Attachment> attachments) {
        if (!cfg.ipMasq()) return Transaction.builder().build();
        if (attachments.isEmpty()) return remove(cfg);
        List<Transaction> parts = new ArrayList<>();
        for (boolean v4 : List.of(true, false)) {
            Optional<IpamRange> r = cfg.rangeSets().stream().filter(s -> s.getFirst().ipv4() == v4).map(List::getFirst).findFirst();
            if (r.isEmpty()) continue;
            BridgeNat nat = new BridgeNat(table(cfg.name(), v4), r.get().subnet(), cfg.bridge(), false);
            parts.add(nat.replace(mappings(attachments, v4)));
        }
        return concat(parts);
    }

    static Transaction remove(CniConfig cfg) {
        List<Transaction> parts = new ArrayList<>();
        for (boolean v4 : List.of(true, false))
            parts.add(Transaction.builder().deleteTableIfExists(table(cfg.name(), v4)).build());
        return concat(parts);
    }

    private static Transaction concat(List<Transaction> parts) {
        List<Command> all = new ArrayList<>();
        for (Transaction t : parts) all.addAll(t.commands());
        return new Transaction(all);
    }

    /** Each published port of each attachment, to its address of that IP version (portmap publishes on both). */
    static List<PortMapping> mappings(List<Attachment> attachments, boolean ipv4) {
        List<PortMapping> out = new ArrayList<>();
        for (Attachment a : attachments) {
            Optional<InetAddress> target = a.ips().stream().map(ip -> ip.address().address())
                    .filter(x -> (x.getAddress().length == 4) == ipv4).findFirst();
            if (target.isEmpty()) continue;
            for (CniConfig.PortMap p : a.ports()) {
                if (p.hostIp().isPresent() && (p.hostIp().get().getAddress().length == 4) != ipv4) continue;
                out.add(new PortMapping(p.proto(), p.hostIp(), p.hostPort(), target.get(), p.containerPort()));
            }
        }
        return out;
    }
}
