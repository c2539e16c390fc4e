package io.nslab.netlink.monitor;

import io.nslab.netlink.route.Address;
import io.nslab.netlink.route.LinkConst;
import io.nslab.netlink.route.Neighbour;
import io.nslab.netlink.route.Route;
import io.nslab.netlink.route.Rule;
import io.nslab.netlink.wire.NlMessage;

import java.util.Objects;

/** One kernel notification, decoded; or the news that some were lost. */
public sealed interface Event {

    /**
     * A link appeared, changed or went away. What most listeners need is
     * decoded here (index, name, IFF_* flags); {@code message} is the kernel's
     * whole RTM_NEWLINK/RTM_DELLINK, for {@code Link.decode} or a full line.
     */
    record LinkEvent(Change change, int index, String name, int flags, NlMessage message) implements Event {
        public LinkEvent { Objects.requireNonNull(change); Objects.requireNonNull(name); Objects.requireNonNull(message); }
        /** IFF_UP: administratively up. */
        public boolean up() { return (flags & LinkConst.IFF_UP) != 0; }
        /** IFF_LOWER_UP: the carrier is there. */
        public boolean lowerUp() { return (flags & LinkConst.IFF_LOWER_UP) != 0; }
    }

    record AddressEvent(Change change, Address address) implements Event {
        public AddressEvent { Objects.requireNonNull(change); Objects.requireNonNull(address); }
    }

    record RouteEvent(Change change, Route route) implements Event {
        public RouteEvent { Objects.requireNonNull(change); Objects.requireNonNull(route); }
    }

    record NeighbourEvent(Change change, Neighbour neighbour) implements Event {
        public NeighbourEvent { Objects.requireNonNull(change); Objects.requireNonNull(neighbour); }
    }

    record RuleEvent(Change change, Rule rule) implements Event {
        public RuleEvent { Objects.requireNonNull(change); Objects.requireNonNull(rule); }
    }

    /**
     * The socket's receive buffer overflowed (ENOBUFS): the kernel dropped
     * notifications, so any state built from events is stale. Resync with a
     * dump; events keep coming after this one.
     */
    record EventsLost() implements Event {
        @Override public String toString() { return "events lost, resync"; }
    }

    /** A message of a subscribed group that this decoder does not model. */
    record OtherEvent(NlMessage message) implements Event {
        public OtherEvent { Objects.requireNonNull(message); }
    }
}
