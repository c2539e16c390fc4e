package io.nslab.net;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Run in a child JVM by {@link NetKillKernelTest}: one {@code net} command on the real
 * kernel ({@code connect NETWORK NS -p PORT...}, {@code disconnect NETWORK NS},
 * {@code create NETWORK --host-ns NS SUBNET}, {@code rm --force NETWORK}), counting every
 * point where it could die ({@link Trace}: each kernel call, each netlink request that
 * changes something, each journal and store write). At point {@code STOP} it prints
 * {@code STOP k what} and waits to be killed; if the command ends first it prints
 * {@code DONE total}.
 * Arguments: STATEDIR OP NETWORK NS STOP [PORT...|SUBNET].
 */
public final class KillWorker {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String op = args[1], network = args[2], ns = args[3];
        int stop = Integer.parseInt(args[4]);
        String[] rest = Arrays.copyOfRange(args, 5, args.length);
        PrintStream out = System.out;
        int[] count = {0};
        Trace trace = point -> {
            if (++count[0] != stop) return;
            out.println("STOP " + count[0] + " " + point);
            out.flush();
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        NetEngine engine = new NetEngine(new NetStore(dir), new TracingKernel(new NetlinkKernel(trace), trace), trace);
        switch (op) {
            case "connect" -> engine.connect(NetEngine.ConnectRequest.of(network, ns).withPorts(rest));
            case "disconnect" -> engine.disconnect(network, ns);
            case "create" -> engine.create(NetEngine.CreateRequest.of(network, rest[0]).withHostNs(ns));
            case "rm" -> engine.remove(network, true);
            default -> throw new IllegalArgumentException("op " + op);
        }
        out.println("DONE " + count[0]);
        out.flush();
    }
}
