package io.nslab.netlink.tc;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * What to add, change, replace or delete: a device (by name, resolved on the socket, or by
 * ifindex), the parent ({@link TcHandle#ROOT} or {@code X:Y}), the qdisc's own handle
 * ({@link TcHandle#UNSPEC}: the kernel picks one), and the kind (empty for a delete).
 */
public record QdiscSpec(Optional<String> device, OptionalInt index, TcHandle parent, TcHandle handle, Optional<QdiscKind> kind) {
    public QdiscSpec {
        if (device.isEmpty() && index.isEmpty()) throw new IllegalArgumentException("a qdisc needs a device");
    }

    /** {@code dev DEV root KIND}. */
    public static QdiscSpec root(String device, QdiscKind kind) {
        return new QdiscSpec(Optional.of(device), OptionalInt.empty(), TcHandle.ROOT, TcHandle.UNSPEC, Optional.of(kind));
    }

    /** {@code dev DEV root} (for a delete). */
    public static QdiscSpec root(String device) {
        return new QdiscSpec(Optional.of(device), OptionalInt.empty(), TcHandle.ROOT, TcHandle.UNSPEC, Optional.empty());
    }

    public static QdiscSpec of(int ifindex, TcHandle parent, TcHandle handle, QdiscKind kind) {
        return new QdiscSpec(Optional.empty(), OptionalInt.of(ifindex), parent, handle, Optional.of(kind));
    }

    public QdiscSpec withHandle(TcHandle h) { return new QdiscSpec(device, index, parent, h, kind); }
    public QdiscSpec withParent(TcHandle p) { return new QdiscSpec(device, index, p, handle, kind); }
    public QdiscSpec withIndex(int i) { return new QdiscSpec(device, OptionalInt.of(i), parent, handle, kind); }

    /** {@code dev veth0 root handle 1: tbf}, for error messages. */
    public String describe() {
        StringBuilder s = new StringBuilder("dev ").append(device.orElse("if" + index.orElse(0)));
        s.append(parent.equals(TcHandle.ROOT) ? " root" : " parent " + parent);
        if (!handle.equals(TcHandle.UNSPEC)) s.append(" handle ").append(handle);
        kind.ifPresent(k -> s.append(' ').append(k.name()));
        return s.toString();
    }
}
