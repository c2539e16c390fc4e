package io.nslab.netlink;


/** Public doorway to the package-private link helpers, for tests in other packages. */
public final class RoutingNetAccess {
    private RoutingNetAccess() {}

    public static int vethUp(NlSocket s, String a, String b) throws ErrnoException { return RoutingNet.vethUp(s, a, b); }
}
