package io.nslab.cli.lab;

import io.nslab.cli.CliException;
import io.nslab.cli.ExitCode;
import io.nslab.lab.model.KernelNames;
import io.nslab.netlink.netns.NetNs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code nslab exec LAB NODE -- CMD...}: runs a command (or an interactive
 * shell) inside a node's namespace, its stdin/stdout/stderr those of nslab.
 * {@code nslab exec LAB --all|NODE,NODE... -- CMD}: in many nodes at once
 * ({@link ExecMany}).
 */
@Command(name = "exec", description = {"Run a command, or an interactive shell, inside a node of a lab: nslab exec LAB NODE -- CMD [ARGS...]",
        "In several nodes at once: nslab exec LAB --all|NODE,NODE,... -- CMD; output lines are prefixed by the node, the exit status is the worst."})
public final class ExecCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "LAB", description = "the lab's name (or its file)")
    String lab;

    @Option(names = "--all", description = "every node of the lab (the command runs in all of them in parallel)")
    boolean all;

    @Parameters(index = "1..*", paramLabel = "NODE|CMD", description = "the node (or NODE,NODE,...; none with --all), then the command and its arguments (default: $SHELL, else /bin/sh)")
    List<String> rest = new ArrayList<>();

    @Override public Integer call() throws Exception {
        String name = LabFiles.labName(lab);
        List<String> command = new ArrayList<>(rest);
        List<String> nodes;
        if (all) nodes = ExecMany.allNodes(name);
        else {
            if (command.isEmpty()) throw CliException.usage("exec: give a NODE (or NODE,NODE,... or --all)");
            String first = command.removeFirst();
            nodes = List.of(first.split(",", -1));
            for (String n : nodes) if (n.isEmpty()) throw CliException.usage("exec: empty node name in '" + first + "'");
        }
        if (all || nodes.size() > 1) {
            if (command.isEmpty()) throw CliException.usage("exec on several nodes: give the command after --");
            return ExecMany.run(name, nodes, command, spec.commandLine().getOut(), spec.commandLine().getErr());
        }
        String node = nodes.getFirst();
        String netns = new KernelNames(name).netns(node);
        if (!NetNs.exists(netns)) throw CliException.failed("exec: lab " + name + " has no node " + node + " up (no netns " + netns + ")");
        List<String> cmd = command.isEmpty() ? List.of(System.getenv().getOrDefault("SHELL", "/bin/sh")) : command;
        spec.commandLine().getOut().flush();
        try (NetNs ns = NetNs.open(netns)) {
            ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
            pb.environment().put("NSLAB_LAB", name);
            pb.environment().put("NSLAB_NODE", node);
            // `ip netns exec` semantics: own mount namespace, /sys of the netns, /etc/netns/NAME bound
            Process p = ns.start(pb);
            return p.waitFor();
        } catch (IOException e) {
            throw new CliException(ExitCode.FAILED, "exec " + String.join(" ", cmd) + ": " + e.getMessage(), e);
        }
    }
}
