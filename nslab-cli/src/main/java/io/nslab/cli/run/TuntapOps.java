package io.nslab.cli.run;

import io.nslab.cli.CliException;
import io.nslab.cli.ip.IpCommand.TuntapShow;
import io.nslab.cli.out.LinkView;
import io.nslab.cli.out.Printer;
import io.nslab.cli.out.TunView;
import io.nslab.netlink.netns.NetNsException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code tuntap show} as iptuntap.c does it: the tun-kind links of one dump, each with tun_flags, owner
 * and group read from /sys/class/net/NAME (the kernel gives IFF_ONE_QUEUE nowhere else). As with ip,
 * without -n that is the /sys this process sees; with -n it is mounted afresh inside the namespace.
 */
final class TuntapOps {
    private TuntapOps() {}

    static void show(TuntapShow c, NsSession s, Printer p, PrintStream err) throws CliException {
        List<String> names = LinkViews.dump(s, c.text()).stream()
                .filter(l -> l.kind().equals(Optional.of("tun")) && (l.linkType().equals("ether") || l.linkType().equals("none")))
                .map(LinkView::ifname).toList();
        List<Object> read;
        try {
            read = s.netns().isPresent() ? s.netns().get().callWithSysfs(() -> read(names)) : read(names);
        } catch (NetNsException e) {
            throw CliException.failed(c.text() + ": " + e.getMessage());
        }
        List<TunView> views = new ArrayList<>();
        for (Object o : read) {
            if (o instanceof TunView v) views.add(v);
            else err.println(o); // ip's own words for a device whose files it could not read; it goes on
        }
        p.tuntaps(views);
    }

    /** Each device's view, or ip's message for one whose sysfs files cannot be read. */
    private static List<Object> read(List<String> names) {
        List<Object> out = new ArrayList<>();
        for (String n : names) {
            try {
                out.add(new TunView(n, prop(n, "tun_flags"), prop(n, "owner"), prop(n, "group")));
            } catch (IOException e) {
                out.add(e.getMessage());
            }
        }
        return out;
    }

    /** read_prop: the file's number as strtol(..., 0) reads it (0x... hex, -1 for no owner). */
    private static long prop(String dev, String prop) throws IOException {
        Path f = Path.of("/sys/class/net", dev, prop);
        String v;
        try {
            v = Files.readString(f).strip();
        } catch (NoSuchFileException e) {
            throw new IOException("fopen " + f + ": No such file or directory");
        }
        try {
            return v.startsWith("0x") ? Long.parseLong(v.substring(2), 16) : Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IOException(f + ": not a number: " + v);
        }
    }
}
