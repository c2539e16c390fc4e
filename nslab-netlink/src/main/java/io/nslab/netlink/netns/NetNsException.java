package io.nslab.netlink.netns;

import io.nslab.netlink.Errno;
import io.nslab.netlink.ErrnoException;

import java.io.IOException;

/**
 * A namespace operation that failed, in one line naming the operation and the
 * namespace: {@code netns add ns1: namespace already exists (/run/netns/ns1)}.
 *
 * <p>It always carries an errno, tested like any {@link ErrnoException} with
 * {@link #is}: the system call's when one failed; otherwise the errno a system
 * call gives for the same trouble: {@link Errno#EINVAL} for a bad name, key or
 * command, {@link Errno#ENAMETOOLONG} for a name too long, {@link Errno#EBADF}
 * for a closed handle, {@link Errno#EINTR} when interrupted, and
 * {@link Errno#EIO} when something else (wrapped as the cause) went wrong.
 * {@link #call()} is the operation, the message up to its first {@code ": "}.
 */
public final class NetNsException extends ErrnoException {
    public NetNsException(String message, int errno) {
        super(message, operation(message), errno, null);
    }

    private static String operation(String message) {
        int colon = message.indexOf(": ");
        return colon < 0 ? message : message.substring(0, colon);
    }

    /** {@code what: <syscall failure text>}, keeping the errno; a NetNsException passes unchanged. */
    static NetNsException of(String what, ErrnoException e) {
        if (e instanceof NetNsException n) return n;
        NetNsException x = new NetNsException(what + ": " + e.getMessage(), e.errno());
        x.initCause(e);
        return x;
    }

    static NetNsException of(String what, IOException e) {
        if (e instanceof ErrnoException x) return of(what, x);
        NetNsException n = new NetNsException(what + ": " + e, Errno.EIO);
        n.initCause(e);
        return n;
    }
}
