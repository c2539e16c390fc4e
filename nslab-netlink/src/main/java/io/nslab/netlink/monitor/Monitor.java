package io.nslab.netlink.monitor;

import io.nslab.netlink.route.Address;
import io.nslab.netlink.route.LinkConst;
import io.nslab.netlink.route.Neighbour;
import io.nslab.netlink.route.Route;
import io.nslab.netlink.route.Rule;
import io.nslab.netlink.Errno;
import io.nslab.netlink.ErrnoException;
import io.nslab.netlink.sys.LibC;
import io.nslab.netlink.sys.NetlinkChannel;
import io.nslab.netlink.wire.Attrs;
import io.nslab.netlink.wire.DecodeException;
import io.nslab.netlink.wire.Netlink;
import io.nslab.netlink.wire.NlMessage;

import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

import static io.nslab.netlink.route.RtConst.*;

/**
 * Kernel change notifications ({@code ip monitor}): a NETLINK_ROUTE socket
 * joined to the multicast groups of the chosen {@link Topic}s, with a large
 * receive buffer. Bound to the network namespace of the thread that opened
 * it; read it from any one thread. A receive-buffer overflow is never
 * swallowed: it comes out as {@link Event.EventsLost} ("events lost, resync").
 * {@link #close()} may be called from another thread; a blocked reader then
 * ends within {@value #SLICE_MILLIS} ms.
 */
public final class Monitor implements AutoCloseable {
    /** Default receive buffer: room for bursts such as a thousand links appearing. */
    public static final int DEFAULT_RCVBUF = 16 << 20;
    static final int SLICE_MILLIS = 200;

    private final NetlinkChannel ch;
    private final Set<Topic> topics;
    private final ArrayDeque<Event> pending = new ArrayDeque<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ReentrantLock reading = new ReentrantLock();
    private boolean channelClosed;

    private Monitor(NetlinkChannel ch, Set<Topic> topics) {
        this.ch = ch;
        this.topics = topics;
    }

    /** Subscribes to {@code topics} in the calling thread's network namespace. */
    public static Monitor open(Topic... topics) throws ErrnoException {
        return open(topics.length == 0 ? EnumSet.allOf(Topic.class) : EnumSet.of(topics[0], topics), DEFAULT_RCVBUF);
    }

    /** Subscribes with a given receive buffer size in bytes (SO_RCVBUFFORCE, else SO_RCVBUF). */
    public static Monitor open(Set<Topic> topics, int receiveBuffer) throws ErrnoException {
        if (topics.isEmpty()) throw new IllegalArgumentException("monitor: no topic to listen to");
        NetlinkChannel ch = NetlinkChannel.open(Netlink.NETLINK_ROUTE, 0);
        try {
            ch.setBuffer(true, receiveBuffer);
            for (Topic t : topics) for (int g : t.groups()) ch.setOption(LibC.SOL_NETLINK, Netlink.NETLINK_ADD_MEMBERSHIP, g);
            return new Monitor(ch, Set.copyOf(topics));
        } catch (ErrnoException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    public Set<Topic> topics() { return topics; }

    /** The next event, waiting up to {@code timeout}; empty on timeout or once closed. */
    public Optional<Event> poll(Duration timeout) throws ErrnoException {
        long deadline = System.nanoTime() + timeout.toNanos();
        reading.lock();
        try {
            while (pending.isEmpty() && !closed.get()) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) break;
                fill((int) Math.min(left, SLICE_MILLIS));
            }
            return closed.get() ? Optional.empty() : Optional.ofNullable(pending.poll());
        } finally {
            closeIfAsked();
            reading.unlock();
        }
    }

    /** The next event, waiting as long as it takes; empty once the monitor is closed. */
    public Optional<Event> take() throws ErrnoException {
        reading.lock();
        try {
            while (pending.isEmpty() && !closed.get()) fill(SLICE_MILLIS);
            return closed.get() ? Optional.empty() : Optional.ofNullable(pending.poll());
        } finally {
            closeIfAsked();
            reading.unlock();
        }
    }

    /** Events as they come, until the monitor is closed; errors as UncheckedIOException. */
    public Stream<Event> stream() {
        return Stream.generate(() -> {
            try {
                return take();
            } catch (ErrnoException e) {
                throw new UncheckedIOException(e);
            }
        }).takeWhile(Optional::isPresent).map(Optional::get);
    }

    /** Waits up to {@code millis} for a datagram and queues its decoded events. */
    private void fill(int millis) throws ErrnoException {
        try {
            if (!ch.awaitReadable(millis)) return;
            Optional<byte[]> got = ch.receive(true);
            if (got.isEmpty()) return;
            byte[] d = got.get();
            for (NlMessage m : NlMessage.parseAll(d, 0, d.length)) {
                Event e = decode(m);
                if (e != null) pending.add(e);
            }
        } catch (ErrnoException e) {
            // ENOBUFS: the socket buffer overflowed; EMSGSIZE: a notification outgrew our buffer (grown now). Lost either way.
            if (e.is(Errno.ENOBUFS, Errno.EMSGSIZE)) {
                pending.add(new Event.EventsLost());
                return;
            }
            if (closed.get()) return;
            throw e;
        }
    }

    /** Decodes one notification; null for netlink control messages. */
    static Event decode(NlMessage m) {
        int t = m.type();
        if (t == Netlink.NLMSG_NOOP || t == Netlink.NLMSG_DONE || t == Netlink.NLMSG_ERROR) return null;
        if (t == Netlink.NLMSG_OVERRUN) return new Event.EventsLost();
        try {
            return switch (t) {
                case RTM_NEWLINK, RTM_DELLINK -> link(m);
                case RTM_NEWADDR, RTM_DELADDR -> new Event.AddressEvent(change(t == RTM_NEWADDR), Address.decode(m));
                case RTM_NEWROUTE, RTM_DELROUTE -> new Event.RouteEvent(change(t == RTM_NEWROUTE), Route.decode(m));
                case RTM_NEWNEIGH, RTM_DELNEIGH -> new Event.NeighbourEvent(change(t == RTM_NEWNEIGH), Neighbour.decode(m));
                case RTM_NEWRULE, RTM_DELRULE -> new Event.RuleEvent(change(t == RTM_NEWRULE), Rule.decode(m));
                default -> new Event.OtherEvent(m);
            };
        } catch (DecodeException e) {
            return new Event.OtherEvent(m);
        }
    }

    private static Change change(boolean isNew) { return isNew ? Change.NEW : Change.DEL; }

    /** ifinfomsg (family, type, index, flags, change) + IFLA_IFNAME, and the message itself. */
    private static Event.LinkEvent link(NlMessage m) {
        if (m.payloadLength() < 16) throw new DecodeException("link message shorter than ifinfomsg", 16);
        ByteBuffer b = m.payloadBuffer().order(ByteOrder.nativeOrder());
        int index = b.getInt(4), flags = b.getInt(8);
        Attrs a = m.attrs(16);
        return new Event.LinkEvent(change(m.type() == RTM_NEWLINK), index, a.string(LinkConst.IFLA_IFNAME).orElse(""), flags, m);
    }

    private void closeIfAsked() {
        if (closed.get() && !channelClosed) {
            channelClosed = true;
            ch.close();
        }
    }

    @Override public void close() {
        closed.set(true);
        if (reading.tryLock()) {
            try {
                closeIfAsked();
            } finally {
                reading.unlock();
            }
        }
    }
}
