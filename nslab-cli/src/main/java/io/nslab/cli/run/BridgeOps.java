package io.nslab.cli.run;

import io.nslab.cli.CliException;
import io.nslab.cli.ExitCode;
import io.nslab.cli.Globals;
import io.nslab.cli.bridge.BridgeCommand;
import io.nslab.cli.out.BridgePrinter;
import io.nslab.cli.out.Printer;
import io.nslab.netlink.Bridges;
import io.nslab.netlink.Errno;
import io.nslab.netlink.ErrnoException;
import io.nslab.netlink.route.BridgeVlanSpec;
import io.nslab.netlink.route.FdbSpec;
import io.nslab.netlink.route.Link;
import io.nslab.netlink.route.LinkLayerAddress;
import io.nslab.netlink.route.Neighbour;
import io.nslab.netlink.route.RtConst;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Runs the {@code bridge} tool's commands through the library's
 * {@link Bridges}: every device named is looked up before anything is sent
 * (a missing one is a one-line error and nothing changes), then one request.
 */
public final class BridgeOps {
    private BridgeOps() {}

    /** Runs {@code c} in the global namespace of {@code g}; returns nslab's exit status. */
    public static int run(BridgeCommand c, Globals g, PrintStream out, PrintStream err) throws CliException {
        try (Sessions sessions = new Sessions()) {
            NsSession s = sessions.get(g.netns(), c.text());
            Bridges b = new Bridges(s.socket());
            Printer printer = new Printer(out, g.json(), g.pretty(), g.details());
            BridgePrinter p = new BridgePrinter(printer, out);
            try {
                switch (c) {
                    case BridgeCommand.LinkShow l -> {
                        OptionalInt only = l.dev().isPresent() ? OptionalInt.of(Kernel.index(s, l.dev().get(), c.text())) : OptionalInt.empty();
                        Map<Integer, String> names = new HashMap<>();
                        Map<Integer, Integer> flags = new HashMap<>();
                        LinkViews.known(s, c.text(), names, flags);
                        List<Link> ports = b.ports().stream().filter(x -> only.isEmpty() || x.index() == only.getAsInt()).toList();
                        p.links(ports, names, flags, g.details());
                    }
                    case BridgeCommand.LinkSet l -> b.setPort(Kernel.index(s, l.dev(), c.text()), l.settings(), l.target());
                    case BridgeCommand.FdbShow f -> {
                        OptionalInt br = f.br().isPresent() ? OptionalInt.of(Kernel.index(s, f.br().get(), c.text())) : OptionalInt.empty();
                        OptionalInt port = f.dev().isPresent() ? OptionalInt.of(Kernel.index(s, f.dev().get(), c.text())) : OptionalInt.empty();
                        List<Neighbour> entries = b.fdb(port, br).stream()
                                .filter(n -> port.isEmpty() || n.index() == port.getAsInt())
                                .filter(n -> f.states() == 0 || (n.state() & f.states()) != 0)
                                .filter(n -> f.vlan().isEmpty() || n.attrs().u16(RtConst.NDA_VLAN).orElse(0) == f.vlan().getAsInt())
                                .filter(n -> !f.dynamicOnly() || (n.state() & RtConst.NUD_PERMANENT) == 0)
                                .toList();
                        p.fdb(entries, Kernel.names(s, c.text()), port.isPresent());
                    }
                    case BridgeCommand.FdbChange f -> {
                        FdbSpec spec = new FdbSpec(LinkLayerAddress.parse(f.mac()), Kernel.index(s, f.dev(), c.text()), f.state(), f.flags(),
                                f.dst(), f.vlan(), f.port(), f.vni(), f.srcVni(),
                                f.via().isPresent() ? OptionalInt.of(Kernel.index(s, f.via().get(), c.text())) : OptionalInt.empty());
                        b.fdb(f.op(), spec);
                    }
                    case BridgeCommand.VlanShow v -> {
                        OptionalInt only = v.dev().isPresent() ? OptionalInt.of(Kernel.index(s, v.dev().get(), c.text())) : OptionalInt.empty();
                        List<Link> links = b.vlans().stream().filter(x -> only.isEmpty() || x.index() == only.getAsInt()).toList();
                        p.vlans(links, Kernel.names(s, c.text()), v.vid());
                    }
                    case BridgeCommand.VlanChange v -> {
                        BridgeVlanSpec spec = new BridgeVlanSpec(Kernel.index(s, v.dev(), c.text()), v.vid(), v.last(), v.flags(), v.target());
                        try {
                            if (v.add()) b.addVlan(spec);
                            else b.delVlan(spec);
                        } catch (ErrnoException e) {
                            throw vlanError(c.text(), e);
                        }
                    }
                }
            } catch (ErrnoException e) {
                throw Kernel.error(c.text(), e);
            }
        }
        return ExitCode.OK;
    }

    /** A kernel without bridge VLAN filtering answers EOPNOTSUPP to a VLAN added to a port: name the option. */
    private static CliException vlanError(String text, ErrnoException e) {
        if (e.is(Errno.EOPNOTSUPP)) {
            return CliException.failed(text + ": Operation not supported (the kernel lacks bridge VLAN filtering, CONFIG_BRIDGE_VLAN_FILTERING,"
                    + " or the bridge does not filter: ip link set BR type bridge vlan_filtering 1)");
        }
        return Kernel.error(text, e);
    }
}
