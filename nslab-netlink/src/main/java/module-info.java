/**
 * nslab-netlink: rtnetlink, network namespaces and nf_tables for Java over the
 * Foreign Function &amp; Memory API. Depends on nothing but {@code java.base}.
 *
 * <p>Run with {@code --enable-native-access=io.nslab.netlink} on the module
 * path ({@code --enable-native-access=ALL-UNNAMED} on the class path).
 *
 * <p>{@code io.nslab.netlink.sys} (the FFM bindings), {@code .wire} (the
 * netlink codec) and {@code .nft.wire} are internal. nslab's own lab engine,
 * networks and CLI still build some requests from the codec and enter namespaces on
 * their own threads, so those two packages are exported to them alone.
 */
module io.nslab.netlink {
    exports io.nslab.netlink;
    exports io.nslab.netlink.route;
    exports io.nslab.netlink.netns;
    exports io.nslab.netlink.monitor;
    exports io.nslab.netlink.nft;
    exports io.nslab.netlink.nft.expr;
    exports io.nslab.netlink.tc;
    exports io.nslab.netlink.packet;

    // internal: qualified exports for nslab's own modules only
    exports io.nslab.netlink.sys to io.nslab.lab;
    exports io.nslab.netlink.wire to io.nslab.lab, io.nslab.cli;
}
