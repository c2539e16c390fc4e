/**
 * nslab-net: Docker-style bridge networks ({@code nslab net}): address
 * management, masquerade, published ports, a store of JSON state files and a
 * journal per network, on top of {@code io.nslab.netlink}.
 */
module io.nslab.net {
    requires transitive io.nslab.netlink;
    requires transitive io.nslab.state;
    requires com.fasterxml.jackson.databind;

    exports io.nslab.net;
    exports io.nslab.net.cni;
}
