package io.nslab.net;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Run in a child JVM by {@link NetKillKernelTest}: {@code net connect NETWORK NS -p PORT...}
 * on the real kernel, counting every point where it could die ({@link Trace}: each
 * kernel call, each netlink request that changes something, each journal and store
 * write). At point {@code STOP} it prints {@code STOP k what} and waits to be killed
 * with SIGKILL; if the connect ends first it prints {@code DONE total}.
 * Arguments: STATEDIR NETWORK NS STOP [PORT...].
 */
public final class KillWorker {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String network = args[1], ns = args[2];
        int stop = Integer.parseInt(args[3]);
        String[] ports = Arrays.copyOfRange(args, 4, args.length);
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
        engine.connect(NetEngine.ConnectRequest.of(network, ns).withPorts(ports));
        out.println("DONE " + count[0]);
        out.flush();
    }
}
