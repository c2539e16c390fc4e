package io.nslab.netlink.nft;

import java.util.Objects;

/**
 * What makes a chain a base chain: its type, hook, priority and policy.
 * Priorities are numbers in the JSON API; the named ones of the ip/ip6/inet
 * families are the constants below ({@code dstnat} = -100, {@code srcnat} = 100, ...).
 */
public record BaseChain(ChainType type, Hook hook, int priority, Policy policy) {
    public static final int PRIO_RAW = -300, PRIO_MANGLE = -150, PRIO_DSTNAT = -100,
            PRIO_FILTER = 0, PRIO_SECURITY = 50, PRIO_SRCNAT = 100;

    public BaseChain {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(hook, "hook");
        Objects.requireNonNull(policy, "policy");
        if (type == ChainType.NAT && (hook == Hook.FORWARD))
            throw new IllegalArgumentException("nat chains cannot hook forward");
        if (type == ChainType.ROUTE && hook != Hook.OUTPUT)
            throw new IllegalArgumentException("route chains hook output only");
    }

    /** {@code type nat hook prerouting priority dstnat; policy accept}: DNAT of published ports. */
    public static BaseChain natPrerouting() {
        return new BaseChain(ChainType.NAT, Hook.PREROUTING, PRIO_DSTNAT, Policy.ACCEPT);
    }

    /** {@code type nat hook output priority -100; policy accept}: DNAT of locally generated traffic. */
    public static BaseChain natOutput() {
        return new BaseChain(ChainType.NAT, Hook.OUTPUT, PRIO_DSTNAT, Policy.ACCEPT);
    }

    /** {@code type nat hook postrouting priority srcnat; policy accept}: masquerade. */
    public static BaseChain natPostrouting() {
        return new BaseChain(ChainType.NAT, Hook.POSTROUTING, PRIO_SRCNAT, Policy.ACCEPT);
    }

    /** {@code type filter hook forward priority filter; policy <policy>}. */
    public static BaseChain filterForward(Policy policy) {
        return new BaseChain(ChainType.FILTER, Hook.FORWARD, PRIO_FILTER, policy);
    }

    /** {@code type filter hook input priority filter; policy <policy>}. */
    public static BaseChain filterInput(Policy policy) {
        return new BaseChain(ChainType.FILTER, Hook.INPUT, PRIO_FILTER, policy);
    }
}
