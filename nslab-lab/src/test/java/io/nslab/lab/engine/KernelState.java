package io.nslab.lab.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** An independent observer of "the kernel as before": ip -j dumps of the test's namespace, nft ruleset, ip netns list. */
final class KernelState {
    private KernelState() {}

    static String snapshot() throws IOException, InterruptedException {
        StringBuilder b = new StringBuilder();
        b.append(run("ip", "-j", "link", "show")).append('\n');
        b.append(run("ip", "-j", "addr", "show")).append('\n');
        b.append(run("ip", "-j", "route", "show", "table", "all")).append('\n');
        b.append(run("nft", "-j", "list", "ruleset")).append('\n');
        b.append(run("ip", "netns", "list")).append('\n');
        return b.toString();
    }

    static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(List.of(cmd))).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        // counters and ages move on their own; the objects are what matter
        return out.replaceAll("\"(stats64|stats|txqlen)\":\\{[^}]*\\}", "").replaceAll("\"(valid_life_time|preferred_life_time)\":\\d+", "");
    }
}
