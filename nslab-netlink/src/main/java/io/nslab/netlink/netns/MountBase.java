package io.nslab.netlink.netns;

import io.nslab.netlink.ErrnoException;
import io.nslab.netlink.sys.Fd;
import io.nslab.netlink.sys.LibC;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A mount namespace to copy per started process instead of the host's: the host's mounts, a slave of them
 * (mounts made on the host later still appear), minus the namespace files (nsfs bind mounts, such as every
 * /run/netns entry) and /sys (each start mounts its own). unshare(CLONE_NEWNS) copies every mount of the caller's namespace, and each copy stays
 * a propagation slave of its original for as long as the process lives: with a thousand-node lab, a copy of
 * the host's table per process costs O(nodes) to make, to tear down, and to propagate each later netns
 * mount into. Copies of this base hold a few dozen mounts whatever the number of namespaces.
 */
final class MountBase {
    private MountBase() {}

    /** One line of /proc/PID/mountinfo: what {@link #nsfsTops} needs. */
    record Mount(int id, int parent, String point, String fstype) {}

    /** The base: a descriptor of it (it lives as long as the descriptor), and whether the host's /sys is read-only. */
    record Base(Fd fd, boolean sysReadOnly) {}

    /**
     * Creates the base on a short-lived thread. Its /sys is detached too: every start mounts its namespace's
     * sysfs there, and detaching the host's once saves each start an unmount (and the RCU grace period the
     * kernel waits for after one).
     */
    static Base create() throws NetNsException {
        Object[] result = new Object[1];
        Thread t = Thread.ofPlatform().daemon(true).name("netns-mount-base").start(() -> {
            try {
                LibC.unshare(LibC.CLONE_NEWNS);
                // nothing done here may reach the host; the host's later mounts still reach here
                LibC.mount("", "/", "none", LibC.MS_SLAVE | LibC.MS_REC, null);
                boolean sysReadOnly = NsExec.sysReadOnly();
                for (String point : nsfsTops(parse(Files.readString(Path.of("/proc/thread-self/mountinfo"), StandardCharsets.UTF_8)))) {
                    try {
                        LibC.umount2(point, LibC.MNT_DETACH);
                    } catch (ErrnoException e) {
                        // already gone with its parent, or not a mount point any more: the base is only bigger
                    }
                }
                try {
                    LibC.umount2("/sys", LibC.MNT_DETACH);
                } catch (ErrnoException e) {
                    // not a mount point: nothing to save
                }
                result[0] = new Base(new Fd(LibC.open("/proc/thread-self/ns/mnt", LibC.O_RDONLY, 0)), sysReadOnly);
            } catch (ErrnoException e) {
                result[0] = NetNsException.of("netns exec: cannot prepare a mount namespace", e);
            } catch (IOException e) {
                result[0] = NetNsException.of("netns exec: cannot read /proc/thread-self/mountinfo", e);
            }
        });
        NetNs.joinUninterruptibly(t);
        if (result[0] instanceof Base b) return b;
        throw (NetNsException) result[0];
    }

    /**
     * The mount points to detach so that no nsfs mount is left: a mount whose children are all nsfs (a
     * /run/netns bound on itself, or a tmpfs there) goes whole, in one call; other nsfs mounts one by one,
     * deepest first. Pure.
     */
    static List<String> nsfsTops(List<Mount> mounts) {
        Map<Integer, Mount> byId = new HashMap<>();
        Map<Integer, List<Mount>> children = new HashMap<>();
        for (Mount m : mounts) {
            byId.put(m.id(), m);
            children.computeIfAbsent(m.parent(), k -> new ArrayList<>()).add(m);
        }
        List<String> out = new ArrayList<>();
        List<String> single = new ArrayList<>();
        for (Map.Entry<Integer, List<Mount>> e : children.entrySet()) {
            List<Mount> nsfs = e.getValue().stream().filter(m -> m.fstype().equals("nsfs")).toList();
            if (nsfs.isEmpty()) continue;
            Mount parent = byId.get(e.getKey());
            boolean whole = parent != null && !parent.point().equals("/") && nsfs.size() == e.getValue().size()
                    && parent.id() != parent.parent();
            if (whole) out.add(parent.point());
            else for (Mount m : nsfs) single.add(m.point());
        }
        single.sort(Comparator.comparingInt(String::length).reversed());
        out.addAll(single);
        return out;
    }

    /** Parses mountinfo: id, parent id, mount point (octal escapes undone), filesystem type. Pure. */
    static List<Mount> parse(String mountinfo) {
        List<Mount> out = new ArrayList<>();
        for (String line : mountinfo.split("\n")) {
            if (line.isBlank()) continue;
            String[] f = line.split(" ");
            int dash = List.of(f).indexOf("-");
            if (f.length < 5 || dash < 0 || dash + 1 >= f.length) continue;
            out.add(new Mount(Integer.parseInt(f[0]), Integer.parseInt(f[1]), unescape(f[4]), f[dash + 1]));
        }
        return out;
    }

    /** mountinfo writes space, tab, newline and backslash in paths as \040, \011, \012, \134. */
    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) return s;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 4 <= s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else sb.append(c);
        }
        return sb.toString();
    }
}
