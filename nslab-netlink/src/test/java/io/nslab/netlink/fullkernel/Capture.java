package io.nslab.netlink.fullkernel;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A tcpdump observer on one interface of a test's namespace: started before
 * the traffic, it waits for the first packet matching a filter and returns
 * its line printed with link-level headers ({@code -e}), so a test can see
 * e.g. the 802.1Q tag a frame carried on the wire.
 */
final class Capture implements AutoCloseable {
    private final Process process;
    private final CompletableFuture<String> packets;

    private Capture(Process process) {
        this.process = process;
        this.packets = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
    }

    /** Starts {@code tcpdump -i DEV -e -nn -c1 FILTER} in the namespace and returns once it listens. */
    static Capture start(Node in, String device, String filter) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("nsenter", "--net=" + in.path(),
                "tcpdump", "-i", device, "-e", "-nn", "-l", "-c1", "--immediate-mode"));
        cmd.addAll(List.of(filter.split(" ")));
        Process p = new ProcessBuilder(cmd).start();
        BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        StringBuilder said = new StringBuilder();
        String line;
        while ((line = err.readLine()) != null) {
            said.append(line).append('\n');
            if (line.startsWith("listening on")) {
                Thread.ofPlatform().daemon().start(() -> { try { err.transferTo(Writer.nullWriter()); } catch (IOException e) { /* gone */ } });
                return new Capture(p);
            }
        }
        p.waitFor(5, TimeUnit.SECONDS);
        throw new IOException("tcpdump on " + device + " in " + in + " did not start: " + said.toString().strip());
    }

    /** The first matching packet's line; fails if none came within {@code seconds}. */
    String firstPacket(int seconds) throws Exception {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroy();
            throw new AssertionError("tcpdump saw no matching packet in " + seconds + " s");
        }
        return packets.get(5, TimeUnit.SECONDS).strip();
    }

    @Override public void close() { process.destroyForcibly(); }
}
