package io.nslab.netlink.netns;

import io.nslab.netlink.Errno;

import java.nio.charset.StandardCharsets;

/** The rules iproute2 applies to a namespace name: it is one file name under /run/netns. */
final class NsName {
    private NsName() {}

    static final int MAX_BYTES = 255;

    /** Throws, naming the operation and the problem, unless {@code name} can be a namespace name. */
    static String check(String op, String name) throws NetNsException {
        if (name == null || name.isEmpty()) throw new NetNsException(op + ": empty namespace name", Errno.EINVAL);
        String shown = op + " " + name;
        if (name.indexOf('/') >= 0) throw new NetNsException(shown + ": invalid namespace name (must not contain '/')", Errno.EINVAL);
        if (name.equals(".") || name.equals("..")) throw new NetNsException(shown + ": invalid namespace name", Errno.EINVAL);
        if (name.indexOf('\0') >= 0) throw new NetNsException(op + ": invalid namespace name (contains NUL)", Errno.EINVAL);
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            throw new NetNsException(op + " " + name.substring(0, 20) + "...: namespace name too long ("
                    + bytes + " bytes, at most " + MAX_BYTES + ")", Errno.ENAMETOOLONG);
        }
        return name;
    }
}
