package io.nslab.netlink;

import java.io.IOException;

/**
 * A failed system call or netlink request, carrying the errno. The message
 * reads like {@code sendmsg(..) failed: EPERM (Operation not permitted)}, with
 * the kernel's extended-ACK text appended when it gave one.
 */
public class ErrnoException extends IOException {
    private final String call;
    private final int errno;
    private final String detail;

    public ErrnoException(String call, int errno) {
        this(call, errno, null);
    }

    public ErrnoException(String call, int errno, String detail) {
        super(format(call, errno, detail));
        this.call = call;
        this.errno = errno;
        this.detail = detail;
    }

    private static String format(String call, int errno, String detail) {
        String s = call + " failed: " + Errno.name(errno) + " (" + Errno.describe(errno) + ")";
        return detail == null || detail.isBlank() ? s : s + ": " + detail;
    }

    public String call() { return call; }
    public int errno() { return errno; }
    /** The kernel's extended-ACK message, if any. */
    public java.util.Optional<String> detail() { return java.util.Optional.ofNullable(detail); }
    public boolean is(int e) { return errno == e; }
}
