package io.nslab.netlink.monitor;

import io.nslab.netlink.route.IpPrefix;
import io.nslab.netlink.route.RouteFixtures;
import io.nslab.netlink.wire.Netlink;
import io.nslab.netlink.wire.NlMessage;
import org.junit.jupiter.api.Test;

import static io.nslab.netlink.route.RtConst.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Notifications are the same messages as dump replies: decode the golden replies as events. */
class MonitorDecodeTest {
    static NlMessage retype(NlMessage m, int type) {
        return new NlMessage(type, 0, 0, 0, m.payload());
    }

    @Test
    void addressRouteAndLinkMessagesBecomeEvents() {
        Event a = Monitor.decode(RouteFixtures.message("reply-addr-show-1"));
        assertThat(a).isInstanceOfSatisfying(Event.AddressEvent.class, e -> {
            assertThat(e.change()).isEqualTo(Change.NEW);
            assertThat(e.address().prefix()).isEqualTo(IpPrefix.parse("10.0.1.1/24"));
        });
        Event gone = Monitor.decode(retype(RouteFixtures.message("reply-addr-show-2"), RTM_DELADDR));
        assertThat(gone).isInstanceOfSatisfying(Event.AddressEvent.class, e -> assertThat(e.change()).isEqualTo(Change.DEL));
        Event r = Monitor.decode(RouteFixtures.message("reply-route-show-3"));
        assertThat(r).isInstanceOfSatisfying(Event.RouteEvent.class,
                e -> assertThat(e.route().destination().toString()).isEqualTo("10.0.2.0/24"));
        Event l = Monitor.decode(RouteFixtures.message("reply-link-veth0"));
        assertThat(l).isInstanceOfSatisfying(Event.LinkEvent.class, e -> {
            assertThat(e.change()).isEqualTo(Change.NEW);
            assertThat(e.name()).isEqualTo("veth0");
            assertThat(e.index()).isEqualTo(3);
        });
        Event n = Monitor.decode(retype(RouteFixtures.message("neigh-add"), RTM_NEWNEIGH));
        assertThat(n).isInstanceOfSatisfying(Event.NeighbourEvent.class,
                e -> assertThat(e.neighbour().lladdr()).contains("02:00:00:00:00:02"));
        Event ru = Monitor.decode(retype(RouteFixtures.message("rule-add-from"), RTM_DELRULE));
        assertThat(ru).isInstanceOfSatisfying(Event.RuleEvent.class, e -> {
            assertThat(e.change()).isEqualTo(Change.DEL);
            assertThat(e.rule().priority()).isEqualTo(1000);
        });
    }

    @Test
    void controlMessagesOverrunsAndStrangers() {
        assertThat(Monitor.decode(new NlMessage(Netlink.NLMSG_DONE, 0, 0, 0, new byte[4]))).isNull();
        assertThat(Monitor.decode(new NlMessage(Netlink.NLMSG_OVERRUN, 0, 0, 0, new byte[0]))).isInstanceOf(Event.EventsLost.class);
        assertThat(Monitor.decode(new NlMessage(RTM_NEWNSID, 0, 0, 0, new byte[4]))).isInstanceOf(Event.OtherEvent.class);
        // a truncated address message is not fatal to a monitor: it is passed on undecoded
        assertThat(Monitor.decode(new NlMessage(RTM_NEWADDR, 0, 0, 0, new byte[3]))).isInstanceOf(Event.OtherEvent.class);
    }
}
