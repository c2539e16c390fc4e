package io.nslab.netlink;

import java.io.IOException;
import java.util.Optional;

/**
 * A failed system call or netlink request, carrying the errno. The message
 * reads like {@code sendmsg(..) failed: EPERM (Operation not permitted)}, with
 * the kernel's extended-ACK text appended when it gave one. It is the one
 * carrier of an errno: subclasses (namespace, nftables failures) word their
 * message their own way but are tested the same way, with {@link #is}.
 */
public class ErrnoException extends IOException {
    private final String call;
    private final int errno;
    private final String detail;

    public ErrnoException(String call, int errno) {
        this(call, errno, null);
    }

    public ErrnoException(String call, int errno, String detail) {
        this(format(call, errno, detail), call, errno, detail);
    }

    /** For subclasses that word the whole message themselves. */
    protected ErrnoException(String message, String call, int errno, String detail) {
        super(message);
        this.call = call;
        this.errno = errno;
        this.detail = detail;
    }

    private static String format(String call, int errno, String detail) {
        String s = call + " failed: " + Errno.nameAndText(errno);
        return detail == null || detail.isBlank() ? s : s + ": " + detail;
    }

    public String call() { return call; }
    public int errno() { return errno; }
    /** The kernel's extended-ACK message, if any. */
    public Optional<String> detail() { return Optional.ofNullable(detail); }

    /** Whether the errno is one of {@code errnos}: {@code e.is(ENODEV, ENOENT)}. */
    public boolean is(int... errnos) {
        for (int e : errnos) if (errno == e) return true;
        return false;
    }
}
