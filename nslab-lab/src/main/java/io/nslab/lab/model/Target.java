package io.nslab.lab.model;

import java.net.InetAddress;

/** What an expectation aims at: a node, one interface of a node, or an address. */
public sealed interface Target {
    record NodeTarget(String node) implements Target {
        @Override public String toString() { return node; }
    }

    record IfaceTarget(IfRef ref) implements Target {
        @Override public String toString() { return ref.toString(); }
    }

    record AddressTarget(InetAddress address) implements Target {
        @Override public String toString() { return Ip.text(address); }
    }
}
