package io.nslab.cli.run;

import io.nslab.cli.CliException;
import io.nslab.cli.ExitCode;
import io.nslab.cli.ip.IpCommand.*;
import io.nslab.cli.out.Printer;
import io.nslab.netlink.netns.NetNs;
import io.nslab.netlink.netns.NetNsException;
import io.nslab.netlink.netns.NsIds;
import io.nslab.netlink.ErrnoException;
import io.nslab.netlink.wire.NlMessage;

import static io.nslab.netlink.route.RtConst.RTM_NEWNSID;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.HashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** {@code netns add/del/list/exec/identify/pids}, over {@link NetNs}. */
final class NetnsOps {
    private NetnsOps() {}

    static void add(NetnsAdd c, Sessions sessions) throws CliException {
        try {
            sessions.adopt(c.name(), NetNs.createOpen(c.name()), c.text()).markFresh(c.text());
        } catch (NetNsException e) {
            throw CliException.usage(message(c.text(), e));
        }
    }

    /** As ip netns attach: every failure (name taken, no such process, the bind) is status 1. */
    static void attach(NetnsAttach c) throws CliException {
        try {
            NetNs.attach(c.name(), c.pid());
        } catch (NetNsException e) {
            throw CliException.usage(message(c.text(), e));
        }
    }

    static void del(NetnsDel c, Sessions sessions) throws CliException {
        if (!NetNs.exists(c.name())) throw CliException.usage(c.text() + ": no such namespace \"" + c.name() + "\"");
        sessions.forget(c.name());
        try {
            NetNs.delete(c.name());
        } catch (NetNsException e) {
            throw CliException.usage(message(c.text(), e));
        }
    }

    static void set(NetnsSet c) throws CliException {
        if (!NetNs.exists(c.name())) throw CliException.usage(c.text() + ": no such namespace \"" + c.name() + "\"");
        try (NetNs ns = NetNs.open(c.name())) {
            ns.setNsid(c.nsid().orElse(-1));
        } catch (NetNsException e) {
            throw CliException.failed(message(c.text(), e));
        }
    }

    /** Names, with the id each has in {@code viewer}'s namespace when one is assigned ("b (id: 0)"), as ip lists them. */
    static void list(NetnsList c, Printer p, NsSession viewer) throws CliException {
        try {
            List<Map.Entry<String, Optional<Integer>>> rows = new ArrayList<>();
            for (String n : directoryOrder()) rows.add(new AbstractMap.SimpleEntry<>(n, nsid(viewer, n)));
            p.netnsList(rows);
        } catch (NetNsException e) {
            throw CliException.failed(message(c.text(), e));
        }
    }

    /** The names in /run/netns in the directory's own order, as ip (readdir) lists them: on tmpfs, newest first. */
    private static List<String> directoryOrder() throws NetNsException {
        List<String> sorted = NetNs.list();
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> d = Files.newDirectoryStream(Path.of("/run/netns"))) {
            for (Path e : d) if (sorted.contains(e.getFileName().toString())) out.add(e.getFileName().toString());
        } catch (IOException e) {
            return sorted;
        }
        return out;
    }

    /**
     * {@code netns list-id}: every id the viewer's namespace has given to another, in the kernel's order,
     * each with the name of the /run/netns entry it is, as ip resolves it (an unnamed one without).
     */
    static void listId(NetnsListId c, Printer p, NsSession viewer) throws CliException {
        try {
            Map<Integer, String> names = new HashMap<>();
            for (String n : NetNs.list()) nsid(viewer, n).ifPresent(id -> names.putIfAbsent(id, n));
            List<Map.Entry<Integer, Optional<String>>> rows = new ArrayList<>();
            for (NlMessage m : viewer.socket().dump(NsIds.dumpRequest())) {
                if (m.type() != RTM_NEWNSID) continue;
                OptionalInt id = NsIds.parse(m);
                if (id.isPresent()) rows.add(new AbstractMap.SimpleEntry<>(id.getAsInt(), Optional.ofNullable(names.get(id.getAsInt()))));
            }
            p.netnsIds(rows);
        } catch (NetNsException e) {
            throw CliException.failed(message(c.text(), e));
        } catch (ErrnoException e) {
            throw Kernel.error(c.text(), e);
        }
    }

    private static Optional<Integer> nsid(NsSession viewer, String name) {
        try (NetNs h = NetNs.open(name)) {
            for (NlMessage m : viewer.socket().query(NsIds.getRequest(h.fd(), "netns id of " + name))) {
                var id = NsIds.parse(m);
                if (id.isPresent()) return Optional.of(id.getAsInt());
            }
        } catch (ErrnoException | CliException e) {
            // a stale entry or no id: listed without one
        }
        return Optional.empty();
    }

    /** Names of the persistent namespaces that are the namespace of {@code pid} (default: nslab itself). */
    static void identify(NetnsIdentify c, Printer p) throws CliException {
        Path target = Path.of("/proc", c.pid().map(String::valueOf).orElse("self"), "ns", "net");
        NsId want;
        try {
            want = NsId.of(target);
        } catch (IOException e) {
            throw CliException.usage(c.text() + ": no such process " + c.pid().map(String::valueOf).orElse("self"));
        }
        // as ipnetns.c: the last match in the directory's order, and a line even when none matches
        String name = "";
        try {
            for (String n : directoryOrder()) {
                try {
                    if (NsId.of(NetNs.RUN_DIR.resolve(n)).equals(want)) name = n;
                } catch (IOException ignored) {
                    // a stale entry: not a namespace any more
                }
            }
        } catch (NetNsException e) {
            throw CliException.failed(message(c.text(), e));
        }
        p.lines(List.of(name));
    }

    /** Processes whose network namespace is {@code name}, found through /proc/PID/ns/net. */
    static void pids(NetnsPids c, Printer p) throws CliException {
        if (!NetNs.exists(c.name())) throw CliException.usage(c.text() + ": no such namespace \"" + c.name() + "\"");
        NsId want;
        try {
            want = NsId.of(NetNs.RUN_DIR.resolve(c.name()));
        } catch (IOException e) {
            throw CliException.failed(c.text() + ": " + e.getMessage());
        }
        List<Long> pids = new ArrayList<>();
        try (DirectoryStream<Path> d = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : d) {
                try {
                    if (NsId.of(proc.resolve("ns/net")).equals(want)) pids.add(Long.parseLong(proc.getFileName().toString()));
                } catch (IOException | NumberFormatException ignored) {
                    // the process ended or is not ours to look at
                }
            }
        } catch (IOException e) {
            throw CliException.failed(c.text() + ": cannot read /proc: " + e.getMessage());
        }
        pids.sort(null);
        p.lines(pids.stream().map(String::valueOf).toList());
    }

    /** Runs the user's command inside the namespace; returns its exit status like {@code ip netns exec}. */
    static int exec(NetnsExec c, PrintStream out, PrintStream err) throws CliException {
        if (!NetNs.exists(c.name())) throw CliException.invalid(c.text() + ": no such namespace \"" + c.name() + "\"");
        boolean inherit = out == System.out && err == System.err;
        try (NetNs ns = NetNs.open(c.name())) {
            Process proc = ProcessExec.start(ns, c.command(), inherit);
            if (!inherit) {
                proc.getOutputStream().close();
                Thread t = Thread.ofPlatform().start(() -> copy(proc.getErrorStream(), err));
                copy(proc.getInputStream(), out);
                t.join();
            }
            return proc.waitFor();
        } catch (NetNsException e) {
            throw CliException.failed(message(c.text(), e));
        } catch (IOException e) {
            throw CliException.failed(c.text() + ": cannot run " + c.command().get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCode.FAILED;
        }
    }

    private static void copy(InputStream in, PrintStream to) {
        try (in) {
            in.transferTo(to);
            to.flush();
        } catch (IOException ignored) {
            // the child closed its end
        }
    }

    static String message(String text, NetNsException e) {
        String m = e.getMessage();
        // The library's messages start with the operation ("netns add ns1: ..."); keep the user's words instead.
        int i = m.indexOf(": ");
        return text + ": " + (i >= 0 && m.startsWith("netns") ? m.substring(i + 2) : m);
    }
}
