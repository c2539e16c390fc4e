package io.nslab.netlink.route;

/** RFC 2863 operational state (IFLA_OPERSTATE), named as {@code ip link} prints it. */
public enum LinkOperState {
    UNKNOWN, NOTPRESENT, DOWN, LOWERLAYERDOWN, TESTING, DORMANT, UP;

    public static LinkOperState of(int v) {
        return switch (v) {
            case LinkConst.IF_OPER_NOTPRESENT -> NOTPRESENT;
            case LinkConst.IF_OPER_DOWN -> DOWN;
            case LinkConst.IF_OPER_LOWERLAYERDOWN -> LOWERLAYERDOWN;
            case LinkConst.IF_OPER_TESTING -> TESTING;
            case LinkConst.IF_OPER_DORMANT -> DORMANT;
            case LinkConst.IF_OPER_UP -> UP;
            default -> UNKNOWN;
        };
    }
}
