package io.nslab.cli.lab;

import io.nslab.cli.CliException;
import io.nslab.lab.engine.LabEngine;
import io.nslab.lab.engine.LabStatus;
import io.nslab.lab.model.KernelNames;
import io.nslab.netlink.netns.NetNs;
import io.nslab.netlink.netns.NetNsException;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code exec} in many nodes at once: every process starts before any is waited for, stdin is /dev/null, each
 * output line is printed whole with its node in front (stdout to stdout, stderr to stderr), and the exit status
 * is the worst (highest) of all; a node whose command cannot start counts as 127, as in a shell.
 */
final class ExecMany {
    private ExecMany() {}

    static List<String> allNodes(String lab) throws Exception {
        LabStatus s = LabEngine.system().status(lab);
        List<String> nodes = new ArrayList<>();
        for (String ns : s.namespaces()) if (!s.missing().contains(ns)) nodes.add(ns.substring(ns.indexOf('.') + 1));
        if (nodes.isEmpty()) throw CliException.failed("exec: no lab " + lab + " is up");
        return nodes;
    }

    static int run(String lab, List<String> nodes, List<String> cmd, PrintWriter out, PrintWriter err) throws Exception {
        KernelNames names = new KernelNames(lab);
        for (String n : nodes)
            if (!NetNs.exists(names.netns(n))) throw CliException.failed("exec: lab " + lab + " has no node " + n + " up (no netns " + names.netns(n) + ")");
        int width = nodes.stream().mapToInt(String::length).max().orElse(0);
        List<Process> procs = new ArrayList<>();
        List<Thread> pumps = new ArrayList<>();
        int worst = 0;
        for (String n : nodes) {
            String prefix = String.format("%-" + width + "s | ", n);
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().put("NSLAB_LAB", lab);
            pb.environment().put("NSLAB_NODE", n);
            try (NetNs ns = NetNs.open(names.netns(n))) {
                Process p = ns.start(pb);
                procs.add(p);
                pumps.add(pump(p.getInputStream(), prefix, out));
                pumps.add(pump(p.getErrorStream(), prefix, err));
            } catch (NetNsException e) {
                synchronized (err) {
                    err.println(prefix + e.getMessage());
                    err.flush();
                }
                worst = Math.max(worst, 127);
            }
        }
        for (Process p : procs) worst = Math.max(worst, p.waitFor());
        for (Thread t : pumps) t.join();
        out.flush();
        err.flush();
        return worst;
    }

    /**
     * Copies lines to {@code to}, each with the prefix, one whole line at a time. A platform thread: the read
     * is a native call that would pin a virtual thread's carrier while its process is silent.
     */
    private static Thread pump(InputStream in, String prefix, PrintWriter to) {
        return Thread.ofPlatform().daemon(true).stackSize(256 * 1024).start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (to) {
                        to.println(prefix + line);
                        to.flush();
                    }
                }
            } catch (IOException e) {
                // the process ended and its pipe closed
            }
        });
    }
}
