package io.nslab.netlink.route;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * A link to create: its name, kind and the generic settings {@code ip link
 * add} accepts. {@code index} asks the kernel for a specific ifindex (batches
 * use it to refer to links they have not created yet); {@code up} brings the
 * link up in the same request.
 */
public record LinkSpec(String name, LinkKind kind, OptionalInt index, Optional<LinkLayerAddress> address,
                       OptionalInt mtu, OptionalInt txqlen, Optional<LinkRef> master, Optional<LinkNetns> netns,
                       Optional<String> alias, boolean up) {
    public LinkSpec {
        LinkNames.check(name);
        index.ifPresent(i -> { if (i <= 0) throw new IllegalArgumentException("bad ifindex " + i + " for " + name); });
        mtu.ifPresent(m -> { if (m <= 0) throw new IllegalArgumentException("bad mtu " + m + " for " + name); });
        txqlen.ifPresent(m -> { if (m < 0) throw new IllegalArgumentException("bad txqueuelen " + m + " for " + name); });
    }

    public static LinkSpec of(String name, LinkKind kind) {
        return new LinkSpec(name, kind, OptionalInt.empty(), Optional.empty(), OptionalInt.empty(), OptionalInt.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), false);
    }

    public LinkSpec withKind(LinkKind k) { return new LinkSpec(name, k, index, address, mtu, txqlen, master, netns, alias, up); }
    public LinkSpec withIndex(int i) { return new LinkSpec(name, kind, OptionalInt.of(i), address, mtu, txqlen, master, netns, alias, up); }
    public LinkSpec withAddress(LinkLayerAddress a) { return new LinkSpec(name, kind, index, Optional.of(a), mtu, txqlen, master, netns, alias, up); }
    public LinkSpec withMtu(int m) { return new LinkSpec(name, kind, index, address, OptionalInt.of(m), txqlen, master, netns, alias, up); }
    public LinkSpec withTxqlen(int q) { return new LinkSpec(name, kind, index, address, mtu, OptionalInt.of(q), master, netns, alias, up); }
    public LinkSpec withMaster(LinkRef m) { return new LinkSpec(name, kind, index, address, mtu, txqlen, Optional.of(m), netns, alias, up); }
    public LinkSpec withNetns(LinkNetns n) { return new LinkSpec(name, kind, index, address, mtu, txqlen, master, Optional.of(n), alias, up); }
    public LinkSpec withAlias(String a) { return new LinkSpec(name, kind, index, address, mtu, txqlen, master, netns, Optional.of(a), up); }
    public LinkSpec withUp(boolean u) { return new LinkSpec(name, kind, index, address, mtu, txqlen, master, netns, alias, u); }
}
