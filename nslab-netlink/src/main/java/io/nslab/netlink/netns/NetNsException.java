package io.nslab.netlink.netns;

import io.nslab.netlink.ErrnoException;

import java.io.IOException;
import java.util.OptionalInt;

/**
 * A namespace operation that failed, in one line naming the operation and the
 * namespace: {@code netns add ns1: namespace already exists (/run/netns/ns1)}.
 * Carries the errno when a system call was the cause.
 */
public final class NetNsException extends IOException {
    private final OptionalInt errno;

    public NetNsException(String message) {
        super(message);
        this.errno = OptionalInt.empty();
    }

    public NetNsException(String message, int errno) {
        super(message);
        this.errno = OptionalInt.of(errno);
    }

    /** {@code what: <syscall failure text>}, keeping the errno. */
    static NetNsException of(String what, ErrnoException e) {
        NetNsException x = new NetNsException(what + ": " + e.getMessage(), e.errno());
        x.initCause(e);
        return x;
    }

    static NetNsException of(String what, IOException e) {
        if (e instanceof NetNsException n) return n;
        if (e instanceof ErrnoException x) return of(what, x);
        NetNsException n = new NetNsException(what + ": " + e);
        n.initCause(e);
        return n;
    }

    public OptionalInt errno() { return errno; }
}
