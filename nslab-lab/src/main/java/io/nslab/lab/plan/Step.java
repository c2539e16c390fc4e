package io.nslab.lab.plan;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.nslab.lab.model.Impair;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One change to the kernel, small enough to journal before it is made and to
 * undo after. A lab is built by running its steps in order; the planner keeps
 * only those the kernel does not already satisfy.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "op")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Step.CreateNs.class, name = "netns"),
    @JsonSubTypes.Type(value = Step.AddLink.class, name = "link"),
    @JsonSubTypes.Type(value = Step.MoveLink.class, name = "move"),
    @JsonSubTypes.Type(value = Step.SetLink.class, name = "set"),
    @JsonSubTypes.Type(value = Step.AddAddress.class, name = "address"),
    @JsonSubTypes.Type(value = Step.AddRoute.class, name = "route"),
    @JsonSubTypes.Type(value = Step.Sysctl.class, name = "sysctl"),
    @JsonSubTypes.Type(value = Step.NftTable.class, name = "nft"),
    @JsonSubTypes.Type(value = Step.Hairpin.class, name = "hairpin"),
    @JsonSubTypes.Type(value = Step.Shape.class, name = "qdisc"),
})
public sealed interface Step {
    /** The namespace the step changes. */
    NsRef ns();

    /** Identity of the object the step makes (stable across runs): what the journal and the planner compare. */
    @JsonIgnore String key();

    /** The step in {@code ip}-like words, for plans and errors. */
    @JsonIgnore String describe();

    /** {@code ip netns add NAME}. */
    record CreateNs(String name) implements Step {
        public NsRef ns() { return NsRef.HOST; }
        public String key() { return "netns " + name; }
        public String describe() { return "netns add " + name; }
    }

    /**
     * {@code ip [-n NS] link add NAME [master BR] [up] type ...}. A bridge port made by a veth pair is made
     * enslaved and up in the same request ({@code master}, {@code up}): one RTM_NEWLINK a port instead of two;
     * mtu, address and the other links' master and up come with {@link SetLink}.
     */
    record AddLink(NsRef ns, String name, LinkSpec spec, Optional<String> master, boolean up) implements Step {
        public AddLink {
            master = master == null ? Optional.empty() : master;       // journals written before ports were fused
        }

        public AddLink(NsRef ns, String name, LinkSpec spec) { this(ns, name, spec, Optional.empty(), false); }

        public String key() { return "link " + ns + "/" + name; }
        public String describe() {
            String extra = spec instanceof LinkSpec.Veth v ? " peer " + v.peer() + (v.peerNs().equals(ns) ? "" : " netns " + v.peerNs()) : "";
            return "link add " + name + master.map(m -> " master " + m).orElse("") + (up ? " up" : "")
                    + " type " + spec.kind() + extra + in(ns);
        }
        /** The peer end's key, for a veth. */
        public Optional<String> peerKey() {
            return spec instanceof LinkSpec.Veth v ? Optional.of("link " + v.peerNs() + "/" + v.peer()) : Optional.empty();
        }
        /** The link as {@link SetLink} would leave it (master, up), when it is made so at creation. */
        public Optional<SetLink> settings() {
            return master.isEmpty() && !up ? Optional.empty()
                    : Optional.of(new SetLink(ns, name, master, OptionalInt.empty(), Optional.empty(), up));
        }
    }

    /**
     * {@code ip -n FROM link set NAME netns TO name NEWNAME}: a macvlan/vlan child or a stand-in
     * "physical" NIC made under a temporary name and moved to its node.
     */
    record MoveLink(NsRef ns, String name, NsRef to, String newName) implements Step {
        public String key() { return "link " + to + "/" + newName; }
        public String describe() {
            return "link set " + name + " netns " + to + (newName.equals(name) ? "" : " name " + newName) + in(ns);
        }
    }

    /** {@code ip link set NAME [mtu M] [address MAC] [master BR] [up]}. */
    record SetLink(NsRef ns, String name, Optional<String> master, OptionalInt mtu, Optional<String> mac, boolean up) implements Step {
        public String key() { return "set " + ns + "/" + name; }
        public String describe() {
            return "link set " + name + mtu.stream().mapToObj(m -> " mtu " + m).findFirst().orElse("")
                    + mac.map(m -> " address " + m).orElse("") + master.map(m -> " master " + m).orElse("")
                    + (up ? " up" : "") + in(ns);
        }
    }

    /** {@code ip addr add CIDR dev NAME}. */
    record AddAddress(NsRef ns, String link, String cidr) implements Step {
        public String key() { return "address " + ns + "/" + link + "/" + cidr; }
        public String describe() { return "addr add " + cidr + " dev " + link + in(ns); }
    }

    /** {@code ip route add DST [via GW] [dev DEV] [metric M]}. */
    record AddRoute(NsRef ns, String dst, Optional<String> via, Optional<String> dev, OptionalInt metric) implements Step {
        public String key() { return "route " + ns + "/" + dst + metric.stream().mapToObj(m -> " metric " + m).findFirst().orElse(""); }
        public String describe() {
            return "route add " + dst + via.map(v -> " via " + v).orElse("") + dev.map(d -> " dev " + d).orElse("")
                    + metric.stream().mapToObj(m -> " metric " + m).findFirst().orElse("") + in(ns);
        }
    }

    /**
     * {@code sysctl -w KEY=VALUE} inside the namespace; the key is the path under /proc/sys
     * ({@code net/ipv4/ip_forward}, {@code net/ipv6/conf/eth0.100/disable_ipv6}) so dots in
     * interface names stay unambiguous.
     */
    record Sysctl(NsRef ns, String sysctl, String value) implements Step {
        public String key() { return "sysctl " + ns + "/" + sysctl; }
        public String describe() { return "sysctl " + sysctl + "=" + value + in(ns); }
    }

    /** An nftables table of the lab's rules in the namespace (replaced atomically as one batch). */
    record NftTable(NsRef ns, String table, List<NatRule> rules) implements Step {
        public NftTable { rules = List.copyOf(rules); }
        public String key() { return "nft " + ns + "/" + table; }
        public String describe() { return "nft table ip " + table + " (" + rules.size() + " rules)" + in(ns); }
    }

    /**
     * {@code ip link set NAME type bridge_slave hairpin on}: a bridge port that may send
     * a frame back out by the port it came in by (a node behind the bridge reaching its
     * own published port through the NAT node); undone by turning it off.
     */
    record Hairpin(NsRef ns, String name) implements Step {
        public String key() { return "hairpin " + ns + "/" + name; }
        public String describe() { return "link set " + name + " type bridge_slave hairpin on" + in(ns); }
    }

    /**
     * {@code tc qdisc replace dev NAME root tbf|netem ...}: the file's {@code impair:} of an interface as
     * its root qdisc ({@link Impair#qdisc()}); a changed impairment is this step again (a change in place),
     * undone by deleting the root qdisc (the kernel's default comes back).
     */
    record Shape(NsRef ns, String link, Impair impair) implements Step {
        public String key() { return "qdisc " + ns + "/" + link; }
        public String describe() { return "qdisc replace dev " + link + " root " + impair.kindName() + " (" + impair + ")" + in(ns); }
    }

    private static String in(NsRef ns) {
        return ns.isHost() ? "" : " (netns " + ns + ")";
    }
}
