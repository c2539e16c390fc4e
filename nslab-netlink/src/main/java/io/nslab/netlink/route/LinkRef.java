package io.nslab.netlink.route;

/**
 * A reference to an existing interface, by name or by ifindex. Requests sent
 * to the kernel need an index where the kernel wants one (a parent, a master,
 * a VXLAN dev): {@code Links} resolves names; pure builders require indexes.
 */
public sealed interface LinkRef {
    record ByName(String name) implements LinkRef {
        public ByName {
            LinkNames.check(name);
        }
        @Override public String toString() { return name; }
    }

    record ByIndex(int index) implements LinkRef {
        public ByIndex {
            if (index <= 0) throw new IllegalArgumentException("bad ifindex " + index);
        }
        @Override public String toString() { return "if" + index; }
    }

    static LinkRef of(String name) { return new ByName(name); }
    static LinkRef of(int index) { return new ByIndex(index); }
}
