package io.nslab.netlink.netns;

import io.nslab.netlink.Errno;
import io.nslab.netlink.ErrnoException;
import io.nslab.netlink.sys.ProcSys;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * sysctl without spawning sysctl(8): /proc/sys/KEY read and written by the
 * calling thread. The kernel resolves /proc/sys/net against the network
 * namespace of the thread that opens the file, so these must run on a
 * platform thread inside the namespace: {@code ns.sysctl(key)} does that.
 * Nothing is cached: every call opens the file. Writes go through procfs
 * instances of nslab's own where it can make them ({@link ProcSys}).
 */
public final class Sysctl {
    private Sysctl() {}

    static final Path ROOT = Path.of("/proc/sys");

    /**
     * The /proc/sys file of {@code key}: {@code net.ipv4.ip_forward} (dots)
     * or {@code net/ipv4/conf/eth0.100/forwarding} (slashes, needed when a
     * component such as an interface name contains a dot).
     */
    public static Path path(String key) throws NetNsException {
        if (key == null || key.isBlank()) throw new NetNsException("sysctl: empty key", Errno.EINVAL);
        String rel = key.indexOf('/') >= 0 ? key : key.replace('.', '/');
        if (rel.startsWith("/") || rel.endsWith("/")) throw new NetNsException("sysctl " + key + ": invalid key", Errno.EINVAL);
        for (String part : rel.split("/")) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) throw new NetNsException("sysctl " + key + ": invalid key", Errno.EINVAL);
        }
        return ROOT.resolve(rel);
    }

    /** The value of {@code key} in the calling thread's namespace, without the trailing newline. */
    public static String read(String key) throws NetNsException {
        return read(key, "");
    }

    /** Writes {@code value} to {@code key} in the calling thread's namespace. */
    public static void write(String key, String value) throws NetNsException {
        write(key, value, "");
    }

    static String read(String key, String where) throws NetNsException {
        Path p = path(key);
        try {
            String s = new String(readWhole(p), StandardCharsets.UTF_8);
            return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
        } catch (IOException e) {
            throw failure(key, where, e, "read");
        }
    }

    /**
     * The file's bytes, asking for a page at the first read: the kernel's number handlers (proc_dointvec...)
     * answer a read at offset 0 in full and a read at any later offset with end-of-file, so a reader that
     * starts small (Files.readAllBytes on a file of size 0 reads one byte first) would get "3" of "32".
     */
    private static byte[] readWhole(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            byte[] buf = new byte[4096];
            int len = 0;
            for (int n; (n = in.read(buf, len, buf.length - len)) > 0; ) {
                len += n;
                if (len == buf.length) buf = Arrays.copyOf(buf, buf.length * 2);
            }
            return Arrays.copyOf(buf, len);
        }
    }

    static void write(String key, String value, String where) throws NetNsException {
        Path p = path(key);
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        try {
            // through a procfs instance of nslab's own (ProcSys says why); a failure there is asked again
            // below, through /proc/sys, for the message users know
            if (ProcSys.write(ROOT.relativize(p).toString(), bytes)) return;
        } catch (ErrnoException e) {
            // fall through
        }
        try {
            // One write(2) of the whole value, no O_CREAT: /proc/sys files cannot be created. No stat
            // first: every /proc/sys/net lookup walks a dentry chain as long as the number of namespaces.
            Files.write(p, bytes, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            if (Files.isDirectory(p)) {      // asked only now: strerror's text depends on the locale
                NetNsException x = new NetNsException("sysctl " + key + where + ": is a directory, not a key", Errno.EISDIR);
                x.initCause(e);
                throw x;
            }
            throw failure(key, where, e, "write \"" + value + "\" to");
        }
    }

    private static NetNsException failure(String key, String where, IOException e, String verb) {
        NetNsException x;
        if (e instanceof NoSuchFileException) {
            x = new NetNsException("sysctl " + key + where + ": no such key", Errno.ENOENT);
        } else if (e instanceof AccessDeniedException) {
            x = new NetNsException("sysctl " + key + where + ": permission denied", Errno.EACCES);
        } else {
            // The kernel's EINVAL for a bad value surfaces as an IOException with its strerror text.
            x = new NetNsException("sysctl " + key + where + ": cannot " + verb + " " + path0(key) + ": " + e.getMessage(), Errno.EIO);
        }
        x.initCause(e);
        return x;
    }

    private static String path0(String key) {
        try { return path(key).toString(); } catch (NetNsException e) { return key; }
    }
}
