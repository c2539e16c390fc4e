package io.nslab.netlink.route;

/**
 * A target network namespace for a link (a veth peer placed at creation, or
 * {@code ip link set DEV netns ...}). The kernel takes an open namespace fd
 * (IFLA_NET_NS_FD) or a pid (IFLA_NET_NS_PID); {@code Links} opens names and
 * paths for the duration of the request, pure builders take fds and pids only.
 */
public sealed interface LinkNetns {
    /** An open fd on a network namespace (e.g. from NetNs.open(...)); the caller keeps it open until the request is sent. */
    record Fd(int fd) implements LinkNetns {
        public Fd {
            if (fd < 0) throw new IllegalArgumentException("bad namespace fd " + fd);
        }
    }

    /** The namespace of a process. */
    record Pid(long pid) implements LinkNetns {
        public Pid {
            if (pid <= 0 || pid > Integer.MAX_VALUE) throw new IllegalArgumentException("bad pid " + pid);
        }
    }

    /** A named namespace, {@code /run/netns/NAME} (as made by {@code ip netns add}). */
    record Name(String name) implements LinkNetns {
        public Name {
            if (name == null || name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
                throw new IllegalArgumentException("bad namespace name \"" + name + "\"");
            }
        }
        public String path() { return "/run/netns/" + name; }
    }

    /** A namespace file, e.g. {@code /proc/PID/ns/net} or a bind mount. */
    record Path(String path) implements LinkNetns {}

    static LinkNetns fd(int fd) { return new Fd(fd); }
    static LinkNetns pid(long pid) { return new Pid(pid); }
    static LinkNetns name(String name) { return new Name(name); }
    static LinkNetns path(String path) { return new Path(path); }
}
