package io.nslab.cli.capture;

import io.nslab.cli.CliException;
import io.nslab.cli.ExitCode;
import io.nslab.cli.lab.LabFiles;
import io.nslab.lab.model.KernelNames;
import io.nslab.netlink.Errno;
import io.nslab.netlink.ErrnoException;
import io.nslab.netlink.netns.NetNs;
import io.nslab.netlink.packet.BpfCompiler;
import io.nslab.netlink.packet.BpfProgram;
import io.nslab.netlink.packet.CaptureStats;
import io.nslab.netlink.packet.FilterException;
import io.nslab.netlink.packet.LinkType;
import io.nslab.netlink.packet.PacketCapture;
import io.nslab.netlink.packet.PacketPrinter;
import io.nslab.netlink.packet.PcapngWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.lang.foreign.MemorySegment;
import java.nio.channels.GatheringByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * {@code nslab [-n NS] capture DEV [-c COUNT] [-w FILE|-] [-s SNAPLEN] [--timeout S] [FILTER...]},
 * or {@code nslab capture LAB|FILE NODE:IF ...} for an interface of a lab's node (the lab by name or by its file):
 * tcpdump's everyday use without tcpdump. Packets are printed as
 * {@code tcpdump -nn -e} does, or written as pcapng ({@code -w -}: to stdout).
 * The filter is compiled (and refused, naming the word) before anything is
 * opened, then runs in the kernel. Ctrl-C ends the capture with a valid file
 * and the kernel's counts on stderr, as tcpdump does.
 */
@Command(name = "capture", sortOptions = false,
        description = {"Capture packets on a device, as tcpdump -nn -e does (nslab [-n NS] capture DEV [FILTER...]),",
                "or on an interface of a lab's node (nslab capture LAB|FILE NODE:IF [FILTER...]).",
                "FILTER is tcpdump's language: host, net, port, src/dst, tcp, udp, icmp, icmp6, arp, vlan, ip, ip6, ether host;",
                "and/or/not, parentheses. It runs in the kernel."})
public final class CaptureCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DEV", description = "the device (in the namespace of -n), or LAB|FILE before NODE:IF")
    String device;

    @Parameters(index = "1..*", paramLabel = "FILTER", description = "a tcpdump filter expression (default: everything)")
    List<String> filter = new ArrayList<>();

    @Option(names = "-c", paramLabel = "COUNT", description = "stop after COUNT packets")
    long count;

    @Option(names = "-w", paramLabel = "FILE", description = "write pcapng to FILE ('-' for stdout) instead of printing")
    String write;

    @Option(names = "-s", paramLabel = "SNAPLEN", description = "bytes kept of each packet (default and 0: 262144)")
    int snaplen;

    @Option(names = "--timeout", paramLabel = "S", description = "stop after S seconds (decimals allowed)")
    double timeout;

    /** NODE:IF of a lab's node (not an IPv6 address or a MAC: one colon). */
    private static final Pattern LAB_IF = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}:[^:/\\s]{1,15}");

    private final Supplier<OutputStream> stdout;

    /** The real thing: {@code -w -} writes to the process's stdout. */
    public CaptureCommand() { this(() -> System.out); }

    /** For embedding and tests: where {@code -w -} writes. */
    public CaptureCommand(Supplier<OutputStream> stdout) { this.stdout = Objects.requireNonNull(stdout); }

    @Override public Integer call() throws Exception {
        // everything that can be wrong with the command line, before anything is opened
        if (count < 0) throw CliException.usage("capture: -c " + count + ": a count is 1 or more");
        if (snaplen < 0 || snaplen > PacketCapture.DEFAULT_SNAPLEN) throw CliException.usage("capture: -s " + snaplen + ": a snap length is 1 to 262144 (0: 262144)");
        if (timeout < 0 || Double.isNaN(timeout) || timeout > 1e9) throw CliException.usage("capture: --timeout " + timeout + ": seconds, more than 0");
        int snap = snaplen == 0 ? PacketCapture.DEFAULT_SNAPLEN : snaplen;
        String netns = netns();
        // nslab capture LAB NODE:IF: a lab's node is the namespace LAB.NODE
        String node = null, lab = null;
        boolean labFile = device.indexOf('\0') < 0 && Files.isRegularFile(Path.of(device));
        if (!filter.isEmpty() && LAB_IF.matcher(filter.get(0)).matches() && (KernelNames.LAB_NAME.matcher(device).matches() || labFile)) {
            if (netns != null) throw CliException.usage("capture: -n and LAB NODE:IF together (the lab's node names the namespace)");
            String[] ni = filter.remove(0).split(":", 2);
            node = ni[0];
            lab = labFile ? LabFiles.labName(device) : device;
            netns = new KernelNames(lab).netns(node);
            device = ni[1];
        }
        BpfProgram program;
        try {
            program = BpfCompiler.compile(filter, snap);
        } catch (FilterException e) {
            throw CliException.usage("capture: filter: " + e.getMessage());
        }
        if (netns != null && (netns.isEmpty() || netns.equals(".") || netns.equals("..") || netns.contains("/") || netns.indexOf(0) >= 0))
            throw CliException.usage("capture: -n \"" + netns.replace("\0", "\\0") + "\": not a namespace name");
        if (node != null && !NetNs.exists(netns))
            throw CliException.failed("capture: lab " + lab + " has no node " + node + " up (no netns " + netns + ")");
        if (netns != null && !NetNs.exists(netns)) throw CliException.failed("capture: no netns " + netns + " (" + NetNs.RUN_DIR.resolve(netns) + ")");

        PacketCapture capture = open(netns, program);
        GatheringByteChannel target = null;     // a file: the ring's blocks copied into chunks written past the page cache
        if (write != null && !write.equals("-")) {
            try {
                target = PcapngWriter.file(Path.of(write));
            } catch (IOException | RuntimeException e) {
                capture.close();
                throw e;   // one line naming the file (Problems)
            }
        }
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        PcapngWriter file = null;
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = Thread.ofPlatform().unstarted(() -> {     // Ctrl-C: stop reading, let the file be finished
            stop.set(true);
            try { done.await(5, TimeUnit.SECONDS); } catch (InterruptedException ignored) { /* exiting anyway */ }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        long[] taken = {0};     // counted here too: an I/O error ends capture() without its result
        int code = ExitCode.OK;
        try {
            err.println("listening on " + device + ", link-type " + (capture.linkType() == LinkType.ETHERNET ? "EN10MB (Ethernet)" : "RAW (Raw IP)")
                    + ", snapshot length " + capture.snaplen() + " bytes");
            err.flush();
            Duration limit = timeout == 0 ? Duration.ZERO : Duration.ofNanos(Math.max(1, (long) (timeout * 1e9)));
            if (write != null) {
                PcapngWriter w = target == null ? new PcapngWriter(stdout.get()) : new PcapngWriter(target);
                if (target != null) file = w;
                int id = w.addInterface(device, capture.linkType(), capture.snaplen());
                w.flush();
                capture.capture(count, limit, stop::get, new PacketCapture.FrameSink() {
                    @Override public void accept(long epochNanos, int wireLength, MemorySegment data) throws IOException {
                        w.write(id, epochNanos, wireLength, data);
                        taken[0]++;
                    }

                    // each block the kernel hands over is written (and a pipe's reader sees it) before the block goes back
                    @Override public void release() throws IOException { w.flush(); }
                });
                w.flush();
            } else {
                PacketPrinter printer = new PacketPrinter(capture.linkType());
                capture.capture(count, limit, stop::get, p -> {
                    out.println(printer.line(p));
                    taken[0]++;
                    out.flush();
                    if (out.checkError()) throw new IOException("stdout closed");
                });
            }
        } catch (IOException e) {
            if (e instanceof ErrnoException) throw e;
            // a closed pipe or a full disk ends the capture; the counts are still worth printing
            err.println("nslab: capture: " + (write == null || write.equals("-") ? "stdout" : write) + ": " + e.getMessage());
            if (write != null && !write.equals("-")) code = ExitCode.FAILED;   // the file is short; a closed stdout is the reader's choice
        } finally {
            CaptureStats st = null;
            try {
                st = capture.stats();
            } catch (ErrnoException e) {
                err.println("nslab: capture: " + e.getMessage());
            }
            capture.close();
            try {
                if (file != null) file.close();
                else if (target != null) target.close();
            } finally {
                long n = taken[0];
                err.println(n + " packet" + (n == 1 ? "" : "s") + " captured");
                if (st != null) {
                    err.println(st.received() + " packet" + (st.received() == 1 ? "" : "s") + " received by filter");
                    err.println(st.dropped() + " packet" + (st.dropped() == 1 ? "" : "s") + " dropped by kernel");
                }
                err.flush();
                done.countDown();
                try { Runtime.getRuntime().removeShutdownHook(hook); } catch (IllegalStateException shuttingDown) { /* Ctrl-C */ }
            }
        }
        return code;
    }

    private PacketCapture open(String netns, BpfProgram program) throws Exception {
        try {
            PacketCapture c;
            if (netns == null) {
                c = PacketCapture.open(device, program);
            } else {
                try (NetNs ns = NetNs.open(netns)) {
                    c = ns.call(() -> PacketCapture.open(device, program));
                }
            }
            return c;
        } catch (ErrnoException e) {
            if (e.is(Errno.ENODEV)) throw CliException.failed("capture: no device " + device + (netns == null ? "" : " in netns " + netns));
            throw e;
        }
    }

    /** -n NS of the top-level command, if given. */
    private String netns() {
        CommandSpec p = spec.parent();
        if (p == null) return null;
        var o = p.findOption("-n");
        return o == null ? null : o.getValue();
    }
}
