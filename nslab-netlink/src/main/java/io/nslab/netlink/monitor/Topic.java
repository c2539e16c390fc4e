package io.nslab.netlink.monitor;

import java.util.List;

import static io.nslab.netlink.route.RtConst.*;

/** What a {@link Monitor} listens to, and the rtnetlink multicast groups behind it. */
public enum Topic {
    LINK(RTNLGRP_LINK),
    ADDRESS(RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR),
    ROUTE(RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV6_ROUTE),
    NEIGH(RTNLGRP_NEIGH),
    RULE(RTNLGRP_IPV4_RULE, RTNLGRP_IPV6_RULE);

    private final List<Integer> groups;

    Topic(Integer... groups) { this.groups = List.of(groups); }

    /** RTNLGRP_* numbers (not bit masks). */
    public List<Integer> groups() { return groups; }
}
