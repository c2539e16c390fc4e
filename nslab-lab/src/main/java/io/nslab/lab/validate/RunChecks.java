package io.nslab.lab.validate;

import io.nslab.lab.model.Lab;
import io.nslab.lab.model.Loc;
import io.nslab.lab.model.Node;
import io.nslab.lab.model.Problem;
import io.nslab.lab.model.Proto;
import io.nslab.lab.model.Ready;
import io.nslab.lab.model.Run;
import io.nslab.lab.model.Service;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Checks of the nodes' {@code run:} lists: every {@code after:} names another node and no chain of them comes
 * back (the lab would wait forever), every program exists here (looked up in PATH as the kernel's exec will),
 * and a ready port is not one the node already uses (its {@code serve:} or an earlier process).
 */
final class RunChecks {
    /** PATH when neither the process's env nor nslab's own has one (glibc's default for execvp). */
    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final Lab lab;
    private final Map<String, Node> nodes;
    private final Predicate<Path> executable;
    private final String path;
    private final List<Problem> problems = new ArrayList<>();

    RunChecks(Lab lab, Map<String, Node> nodes, Predicate<Path> executable, String path) {
        this.lab = lab;
        this.nodes = nodes;
        this.executable = executable;
        this.path = path;
    }

    static List<Problem> of(Lab lab, Map<String, Node> nodes) {
        String env = System.getenv("PATH");
        return new RunChecks(lab, nodes, p -> Files.isRegularFile(p) && Files.isExecutable(p),
                env == null || env.isBlank() ? DEFAULT_PATH : env).run();
    }

    List<Problem> run() {
        for (Node n : lab.nodes()) {
            ports(n);
            for (int i = 0; i < n.run().size(); i++) {
                Run r = n.run().get(i);
                // no run[i] here: the loader drops broken entries, so a model index may not be the file's
                String what = "node " + n.name();
                program(what, r);
                for (int k = 0; k < r.after().size(); k++) {
                    String a = r.after().get(k);
                    Loc at = r.src().field("after[" + k + "]");
                    if (a.equals(n.name())) add(at, what + ": after its own node", "processes of one node already run in order");
                    else if (!nodes.containsKey(a)) add(at, what + ": after unknown node '" + a + "'", "name a node of this lab");
                }
            }
        }
        cycles();
        return problems;
    }

    private void add(Loc at, String message, String fix) {
        problems.add(new Problem(at, message, fix));
    }

    /** The program must exist: a name is looked up in the process's PATH, a path is taken as written (or in workdir). */
    private void program(String what, Run r) {
        String prog = r.cmd().getFirst();
        Loc at = r.src().field("cmd[0]");
        if (prog.contains("/")) {
            Path p = prog.startsWith("/") ? Path.of(prog) : Path.of(r.workdir().orElse("/")).resolve(prog);
            if (!executable.test(p)) add(at, what + ": program " + prog + " does not exist or is not executable", "give the path of an installed program");
            return;
        }
        String search = r.env().getOrDefault("PATH", path);
        for (String dir : search.split(":")) {
            if (!dir.isEmpty() && executable.test(Path.of(dir, prog))) return;
        }
        add(at, what + ": program '" + prog + "' is not found in PATH", "install it, or give its full path");
    }

    /** A ready port must not be taken already in the node by a serve: entry or an earlier process's ready port. */
    private void ports(Node n) {
        Set<String> taken = new HashSet<>();
        for (Service s : n.serve()) taken.add(s.proto().transport().word() + " " + s.port());
        for (int i = 0; i < n.run().size(); i++) {
            Run r = n.run().get(i);
            Optional<String> port = switch (r.ready()) {
                case Ready.Tcp t -> Optional.of("tcp " + t.port());
                case Ready.Udp u -> Optional.of("udp " + u.port());
                default -> Optional.empty();
            };
            if (port.isEmpty()) continue;
            if (!taken.add(port.get()))
                add(r.src().field("ready"), "node " + n.name() + ": ready " + port.get() + " is a port the node already uses",
                        "the process could not bind it (and the probe would see the other one): use another port, or drop the 'serve:' entry");
        }
    }

    /** A node waits for the nodes its processes name in after:; a chain that comes back never starts. */
    private void cycles() {
        Map<String, Map<String, Loc>> edges = new LinkedHashMap<>();
        for (Node n : lab.nodes())
            for (Run r : n.run())
                for (int k = 0; k < r.after().size(); k++)
                    if (nodes.containsKey(r.after().get(k)) && !r.after().get(k).equals(n.name()))
                        edges.computeIfAbsent(n.name(), x -> new LinkedHashMap<>()).putIfAbsent(r.after().get(k), r.src().field("after[" + k + "]"));
        Map<String, Integer> state = new HashMap<>(); // 1 = on the path, 2 = done
        for (String start : edges.keySet()) {
            if (state.containsKey(start)) continue;
            List<String> path = new ArrayList<>();
            visit(start, edges, state, path);
        }
    }

    private void visit(String n, Map<String, Map<String, Loc>> edges, Map<String, Integer> state, List<String> path) {
        state.put(n, 1);
        path.add(n);
        for (Map.Entry<String, Loc> e : edges.getOrDefault(n, Map.of()).entrySet()) {
            Integer s = state.get(e.getKey());
            if (s == null) visit(e.getKey(), edges, state, path);
            else if (s == 1) {
                List<String> cycle = new ArrayList<>(path.subList(path.indexOf(e.getKey()), path.size()));
                cycle.add(e.getKey());
                add(e.getValue(), "node " + n + ": after " + e.getKey() + " makes a cycle " + String.join(" -> ", cycle),
                        "no process would ever start; remove one of these after: entries");
            }
        }
        path.removeLast();
        state.put(n, 2);
    }

    /** Whether node {@code n} has a process whose ready port answers a probe of {@code proto} to {@code port}. */
    static boolean listens(Node n, Proto proto, int port) {
        Proto t = proto.transport();
        return n.run().stream().anyMatch(r -> r.listens(t).map(p -> p == port).orElse(false));
    }
}
