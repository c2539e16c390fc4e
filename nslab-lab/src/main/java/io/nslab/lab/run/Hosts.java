package io.nslab.lab.run;

import io.nslab.lab.model.Iface;
import io.nslab.lab.model.Ip;
import io.nslab.lab.model.KernelNames;
import io.nslab.lab.model.Lab;
import io.nslab.lab.model.Node;
import io.nslab.netlink.netns.NetNs;
import io.nslab.netlink.route.IpPrefix;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /etc/netns/LAB.NODE/hosts} for every node: {@code nslab exec}, {@code ip netns exec} and the
 * {@code run:} processes see it as /etc/hosts, so node names resolve. Every address of a node gets a line
 * naming the node and NODE-IFNAME; the node's first address comes first, so {@code getent hosts web} answers it.
 * Except where the viewer cannot use that address: a node with several addresses is named first by one on a
 * subnet the viewer is on ({@code web} is 10.0.1.1 for a client on 10.0.1.0/24, though web's eth0 is elsewhere).
 * Nodes that need no such line share one file, hard-linked into each node's directory.
 */
public final class Hosts {
    private Hosts() {}

    /** The text of the lab's hosts file as node {@code viewer} sees it. Pure. */
    public static String text(Lab lab, String viewer) {
        return text(lab, nearer(Homes.of(lab), viewer));
    }

    private static String text(Lab lab, List<String> first) {
        StringBuilder sb = new StringBuilder(64 + 48 * lab.nodes().size());
        sb.append("# written by nslab for lab ").append(lab.name()).append("; removed by nslab down\n");
        sb.append("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n");
        for (String line : first) sb.append(line).append('\n');
        for (Node n : lab.nodes()) {
            for (Iface i : n.interfaces())
                for (IpPrefix a : i.addresses())
                    sb.append(Ip.text(a.address())).append('\t').append(n.name()).append(' ').append(n.name()).append('-').append(i.name()).append('\n');
        }
        return sb.toString();
    }

    /**
     * Each node's addresses, and the nodes with addresses on more than one subnet (routers: the only ones whose
     * first address may be out of reach) by subnet, computed once: asked node by node (a linear search each) for
     * every viewer and every router, they made a 1,000-router chain's up take 20 s.
     */
    private record Homes(Map<String, List<IpPrefix>> addresses, Map<IpPrefix, List<String>> routersOn, Map<String, Integer> order) {
        static Homes of(Lab lab) {
            Map<String, List<IpPrefix>> addresses = new HashMap<>();
            Map<IpPrefix, List<String>> on = new HashMap<>();
            Map<String, Integer> order = new HashMap<>();
            for (Node n : lab.nodes()) {
                order.put(n.name(), order.size());
                List<IpPrefix> a = n.interfaces().stream().flatMap(i -> i.addresses().stream()).toList();
                addresses.put(n.name(), a);
                List<IpPrefix> nets = subnets(a);
                if (nets.size() > 1) for (IpPrefix net : nets) on.computeIfAbsent(net, k -> new ArrayList<>()).add(n.name());
            }
            return new Homes(addresses, on, order);
        }

        List<IpPrefix> of(String node) { return addresses.getOrDefault(node, List.of()); }
    }

    private static List<IpPrefix> subnets(List<IpPrefix> addresses) {
        return addresses.stream().map(IpPrefix::network).distinct().toList();
    }

    /**
     * {@code ADDR NODE} lines put first for {@code viewer}: a multi-homed node by its address on the viewer's
     * subnet (only those on one of its subnets can have one), in the lab's order.
     */
    private static List<String> nearer(Homes homes, String viewer) {
        List<IpPrefix> mine = subnets(homes.of(viewer));
        Set<String> candidates = new HashSet<>();
        for (IpPrefix net : mine) candidates.addAll(homes.routersOn().getOrDefault(net, List.of()));
        if (candidates.isEmpty()) return List.of();
        List<String> inOrder = new ArrayList<>(candidates);
        inOrder.sort(Comparator.comparingInt(n -> homes.order().get(n)));
        List<String> out = new ArrayList<>();
        for (String n : inOrder) {
            if (n.equals(viewer)) continue;
            List<IpPrefix> addrs = homes.of(n);
            if (addrs.isEmpty() || mine.stream().anyMatch(s -> s.contains(addrs.getFirst().address()))) continue;
            addrs.stream().filter(a -> mine.stream().anyMatch(s -> s.contains(a.address()))).findFirst()
                    .ifPresent(a -> out.add(Ip.text(a.address()) + "\t" + n));
        }
        return out;
    }

    /** Where node {@code node}'s file goes. */
    public static Path path(KernelNames names, String node) {
        return NetNs.ETC_DIR.resolve(names.netns(node)).resolve("hosts");
    }

    static List<String> paths(Lab lab) {
        KernelNames names = lab.kernelNames();
        List<String> out = new ArrayList<>(lab.nodes().size());
        for (Node n : lab.nodes()) out.add(path(names, n.name()).toString());
        return out;
    }

    /**
     * Writes the file for every node (journaled by the caller first). The text is written once beside the
     * first node's file and hard-linked to the others: a 1,000-node lab costs one write, not a thousand.
     */
    static void write(Lab lab, List<String> paths) throws IOException {
        if (paths.isEmpty()) return;
        String common = text(lab, List.of());
        byte[] text = common.getBytes(StandardCharsets.UTF_8);
        Homes homes = Homes.of(lab);
        Path etc = Path.of(paths.getFirst()).getParent().getParent();
        Files.createDirectories(etc);
        // metadata operations on /etc (a disk) dominate at 1,000 nodes: a new file is one mkdir and one link
        Path shared = etc.resolve(".nslab-hosts-" + lab.name());
        Files.write(shared, text);
        try {
            for (int i = 0; i < paths.size(); i++) {
                Path dst = Path.of(paths.get(i));
                List<String> near = nearer(homes, lab.nodes().get(i).name());
                String want = near.isEmpty() ? common : text(lab, near);
                try {
                    Files.createDirectory(dst.getParent());
                } catch (FileAlreadyExistsException there) {
                    if (Files.exists(dst) && Files.readString(dst).equals(want)) continue; // a second up: unchanged
                }
                if (Files.exists(dst)) {
                    // renamed over the old one: a process reading /etc/hosts never sees a half-written file
                    Path tmp = dst.resolveSibling(".hosts.nslab");
                    Files.writeString(tmp, want);
                    Files.move(tmp, dst, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } else if (!near.isEmpty()) {
                    Files.writeString(dst, want);
                } else {
                    try {
                        Files.createLink(dst, shared);
                    } catch (UnsupportedOperationException | IOException e) {
                        Files.write(dst, text);
                    }
                }
            }
        } finally {
            Files.deleteIfExists(shared);
        }
    }

    /** Removes the files and their directories when nothing else is in them. Returns problems. */
    static List<String> remove(List<String> paths) {
        List<String> problems = new ArrayList<>();
        for (String p : paths) {
            Path f = Path.of(p);
            try {
                Files.deleteIfExists(f);
                Files.deleteIfExists(f.getParent());
            } catch (DirectoryNotEmptyException | NoSuchFileException | FileAlreadyExistsException e) {
                // the user put other files there (resolv.conf): leave the directory
            } catch (IOException e) {
                problems.add("remove " + p + ": " + e.getMessage());
            }
        }
        return problems;
    }
}
