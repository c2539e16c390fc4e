package io.nslab.netlink;

import io.nslab.netlink.route.Rule;
import io.nslab.netlink.route.RuleRequests;
import io.nslab.netlink.route.RuleSpec;
import io.nslab.netlink.route.RtConst;
import io.nslab.netlink.wire.NlMessage;

import java.util.ArrayList;
import java.util.List;

/** Policy routing rules over one rtnetlink socket: {@code ip rule add/del/show}. */
public final class Rules {
    private final NlSocket socket;

    public Rules(NlSocket socket) { this.socket = socket; }

    public void add(RuleSpec s) throws ErrnoException { socket.execute(RuleRequests.add(s)); }
    public void del(RuleSpec s) throws ErrnoException { socket.execute(RuleRequests.del(s)); }
    public void del(Rule r) throws ErrnoException { socket.execute(RuleRequests.del(r)); }

    /** Rules of {@code family} (AddressFamily.INET, INET6, or UNSPEC for both), in priority order as the kernel keeps them. */
    public List<Rule> dump(int family) throws ErrnoException {
        List<Rule> out = new ArrayList<>();
        for (NlMessage m : socket.dump(RuleRequests.dump(family))) {
            if (m.type() == RtConst.RTM_NEWRULE) out.add(Rule.decode(m));
        }
        return out;
    }
}
