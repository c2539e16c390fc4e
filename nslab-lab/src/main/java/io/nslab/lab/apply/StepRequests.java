package io.nslab.lab.apply;

import io.nslab.lab.plan.NatRule;
import io.nslab.lab.plan.Step;
import io.nslab.netlink.NlRequest;
import io.nslab.netlink.nft.BaseChain;
import io.nslab.netlink.nft.ChainRef;
import io.nslab.netlink.nft.Expr;
import io.nslab.netlink.nft.PortMapping;
import io.nslab.netlink.nft.Proto;
import io.nslab.netlink.nft.Recipes;
import io.nslab.netlink.nft.Rule;
import io.nslab.netlink.nft.TableRef;
import io.nslab.netlink.nft.Transaction;
import io.nslab.netlink.route.AddressFamily;
import io.nslab.netlink.route.AddressRequests;
import io.nslab.netlink.route.AddressSpec;
import io.nslab.netlink.route.IpPrefix;
import io.nslab.netlink.route.LinkChange;
import io.nslab.netlink.route.LinkKind;
import io.nslab.netlink.route.LinkRef;
import io.nslab.netlink.route.LinkRequests;
import io.nslab.netlink.route.LinkSpec;
import io.nslab.netlink.route.RouteRequests;
import io.nslab.netlink.route.RouteSpec;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Steps as netlink and nf_tables requests: pure (no socket, no namespace), so
 * the translation is tested without a kernel. Names that need an ifindex get
 * it from the caller.
 */
final class StepRequests {
    private StepRequests() {}

    /** {@code ip link add NAME type KIND}, with ifindex {@code index} if chosen. */
    static LinkSpec link(String name, LinkKind kind, OptionalInt index) {
        LinkSpec spec = LinkSpec.of(name, kind);
        return index.isPresent() ? spec.withIndex(index.getAsInt()) : spec;
    }

    /** {@code ip link add NAME [master BR] [up] type KIND} for the step; {@code master} is the bridge's ifindex when it names one. */
    static LinkSpec link(Step.AddLink l, LinkKind kind, OptionalInt index, OptionalInt master) {
        LinkSpec spec = link(l.name(), kind, index).withUp(l.up());
        return master.isPresent() ? spec.withMaster(LinkRef.of(master.getAsInt())) : spec;
    }

    /** What {@code ip link set} changes for the step; {@code master} is the bridge's ifindex when it has one. */
    static List<LinkChange> changes(Step.SetLink sl, OptionalInt master) {
        List<LinkChange> ch = new ArrayList<>();
        sl.mtu().ifPresent(v -> ch.add(LinkChange.mtu(v)));
        sl.mac().ifPresent(v -> ch.add(LinkChange.address(v)));
        master.ifPresent(m -> ch.add(LinkChange.master(m)));
        if (sl.up()) ch.add(LinkChange.up());
        return ch;
    }

    /** RTM_NEWLINK changing link {@code name}. */
    static NlRequest setLink(String name, List<LinkChange> changes) {
        return LinkRequests.set(LinkRef.of(name), changes);
    }

    /** RTM_NEWADDR for the step on the link with ifindex {@code index}. */
    static NlRequest addAddress(Step.AddAddress a, int index) {
        NlRequest r = AddressRequests.add(AddressSpec.of(index, IpPrefix.parse(a.cidr())));
        return new NlRequest(r.type(), r.flags(), r.body(), "addr add " + a.cidr() + " dev " + a.link());
    }

    /** RTM_NEWROUTE for the step, its device given by ifindex {@code dev} when it names one. */
    static NlRequest addRoute(Step.AddRoute r, OptionalInt dev) {
        RouteSpec spec = route(r);
        if (dev.isPresent()) spec = spec.dev(dev.getAsInt());
        NlRequest q = RouteRequests.add(spec);
        return new NlRequest(q.type(), q.flags(), q.body(), "route add " + r.dst());
    }

    static RouteSpec route(Step.AddRoute r) {
        IpPrefix dst = IpPrefix.parse(r.dst());
        RouteSpec spec = dst.length() == 0 ? RouteSpec.defaultRoute(dst.address().getAddress().length == 4 ? AddressFamily.INET : AddressFamily.INET6)
                : RouteSpec.to(dst);
        if (r.via().isPresent()) spec = spec.via(r.via().get());
        if (r.dev().isPresent()) spec = spec.dev(r.dev().get());
        if (r.metric().isPresent()) spec = spec.metric(r.metric().getAsInt());
        return spec;
    }

    private static final InetAddress LOOPBACK = IpPrefix.parseAddress("127.0.0.1");

    private static Proto proto(String word) {
        return word.equals("udp") ? Proto.UDP : Proto.TCP;
    }

    /** {@code ip link set NAME type bridge_slave hairpin on|off}. */
    static LinkChange hairpin(boolean on) {
        return LinkChange.hairpin(on);
    }

    /**
     * The lab's table: nat chains with masquerade and DNAT rules (the file's NAT, the seeds' iptables lines),
     * hairpin masquerade of published ports and their 127.0.0.1 publishing.
     */
    static Transaction table(Step.NftTable t) {
        TableRef table = TableRef.ip(t.table());
        ChainRef pre = table.chain("prerouting"), out = table.chain("output"), post = table.chain("postrouting");
        Transaction.Builder b = Transaction.builder().replaceTable(table)
                .addChain(pre, BaseChain.natPrerouting())
                .addChain(out, BaseChain.natOutput())
                .addChain(post, BaseChain.natPostrouting());
        for (NatRule r : t.rules()) {
            switch (r) {
                case NatRule.Masquerade m -> b.addRule(m.out().isPresent()
                        ? Recipes.masqueradeSubnetVia(post, IpPrefix.parse(m.source()), m.out().get())
                        : m.notOut().isPresent() ? Recipes.masqueradeSubnet(post, IpPrefix.parse(m.source()), m.notOut().get())
                        : Rule.of(post, Expr.saddr(IpPrefix.parse(m.source())), Expr.masquerade()));
                case NatRule.Publish p -> {
                    PortMapping pm = PortMapping.any(proto(p.proto()), p.port(),
                            IpPrefix.parseAddress(p.toAddress()), p.toPort());
                    Rule dnat = Recipes.publish(pre, pm);
                    if (p.in().isPresent()) {
                        List<Expr> e = new ArrayList<>();
                        e.add(Expr.iifname(p.in().get()));
                        e.addAll(dnat.exprs());
                        dnat = Rule.of(pre, e);
                    }
                    b.addRule(dnat);
                    b.addRule(Recipes.publishLocal(out, pm));
                }
                case NatRule.Hairpin h -> b.addRule(Recipes.hairpinMasquerade(post,
                        PortMapping.any(proto(h.proto()), h.toPort(), IpPrefix.parseAddress(h.toAddress()), h.toPort())));
                case NatRule.PublishLoopback p -> b.addRule(Recipes.publish(out, PortMapping.on(LOOPBACK, proto(p.proto()), p.port(),
                        IpPrefix.parseAddress(p.toAddress()), p.toPort())));
                case NatRule.MasqueradeLoopback m -> b.addRule(Recipes.masqueradeLoopbackInto(post, m.out()));
            }
        }
        return b.build();
    }
}
