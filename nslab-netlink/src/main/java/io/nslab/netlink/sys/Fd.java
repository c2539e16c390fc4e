package io.nslab.netlink.sys;

import java.util.concurrent.atomic.AtomicBoolean;

/** An owned file descriptor, closed exactly once. */
public final class Fd implements AutoCloseable {
    private final int fd;
    private final AtomicBoolean closed = new AtomicBoolean();

    public Fd(int fd) {
        if (fd < 0) throw new IllegalArgumentException("bad fd " + fd);
        this.fd = fd;
    }

    public int get() {
        if (closed.get()) throw new IllegalStateException("fd " + fd + " is closed");
        return fd;
    }

    public boolean isOpen() { return !closed.get(); }

    @Override public void close() {
        if (closed.compareAndSet(false, true)) LibC.closeQuietly(fd);
    }

    @Override public String toString() { return "Fd[" + fd + (closed.get() ? ",closed]" : "]"); }
}
