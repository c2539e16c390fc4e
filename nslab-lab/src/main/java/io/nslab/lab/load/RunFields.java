package io.nslab.lab.load;

import io.nslab.lab.model.KernelLimits;
import io.nslab.lab.model.Loc;
import io.nslab.lab.model.Problem;
import io.nslab.lab.model.Ready;
import io.nslab.lab.model.Run;
import io.nslab.lab.model.Src;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A node's {@code run:} list and {@code sysctls:} map, read with the place of every field. */
final class RunFields {
    static final Set<String> RUN = Set.of("cmd", "env", "workdir", "ready", "after", "timeout");
    static final Set<String> READY = Set.of("tcp", "udp", "file", "exit");
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m)?");
    private static final Pattern SYSCTL = Pattern.compile("net[./][A-Za-z0-9_./-]+");

    private final List<Problem> problems;

    RunFields(List<Problem> problems) {
        this.problems = problems;
    }

    List<Run> runs(String node, List<Tree> items) {
        List<Run> out = new ArrayList<>();
        int i = 0;
        for (Tree t : items) run(node + " run[" + i++ + "]", t).ifPresent(out::add);
        return out;
    }

    private Optional<Run> run(String what, Tree t) {
        if (t instanceof Tree.ListNode l) {
            return cmd(what, l).map(c -> new Run(c, Map.of(), Optional.empty(), new Ready.Started(), List.of(), Run.DEFAULT_TIMEOUT, Src.of(l.loc())));
        }
        if (!(t instanceof Tree.MapNode m)) {
            problems.add(new Problem(t.loc(), what + ": a process must be {cmd: [PROGRAM, ARGS...], ...} or [PROGRAM, ARGS...], not " + t.describe(),
                    "e.g. {cmd: [nc, -lk, \"8080\"], ready: tcp 8080}"));
            return Optional.empty();
        }
        Fields f = new Fields(m, what, RUN, problems);
        Optional<List<String>> cmd = Optional.empty();
        if (!f.has("cmd")) f.missing("cmd", "add 'cmd: [PROGRAM, ARGS...]'");
        else cmd = cmd(what, f.get("cmd").get());
        Map<String, String> env = new LinkedHashMap<>();
        f.map("env").ifPresent(em -> {
            for (Tree.Entry e : em.entries().values()) {
                if (e.key().isEmpty() || e.key().contains("=")) {
                    problems.add(new Problem(e.keyLoc(), what + ": environment name '" + e.key() + "' is not allowed", "a name without '='"));
                    continue;
                }
                if (e.value() instanceof Tree.Scalar s && s.type() != Tree.ScalarType.NULL) env.put(e.key(), s.text());
                else problems.add(new Problem(e.value().loc(), what + ": env " + e.key() + " must be text, not " + e.value().describe(), ""));
            }
        });
        Optional<String> workdir = f.text("workdir");
        workdir.filter(w -> !w.startsWith("/")).ifPresent(w -> f.problem("workdir", "workdir '" + w + "' is not an absolute path", "start it with '/'"));
        Ready ready = f.get("ready").flatMap(r -> ready(what, r)).orElse(new Ready.Started());
        List<String> after = new ArrayList<>();
        for (Tree a : f.list("after")) Values.text(a, what + " after", problems).ifPresent(after::add);
        Duration timeout = Run.DEFAULT_TIMEOUT;
        if (f.has("timeout")) {
            Optional<Duration> d = duration(f.get("timeout").get());
            if (d.isEmpty() || d.get().isZero()) f.problem("timeout", "timeout must be a duration like 10s or 500ms, not " + f.get("timeout").get().describe(), "");
            else timeout = d.get();
        }
        if (cmd.isEmpty()) return Optional.empty();
        return Optional.of(new Run(cmd.get(), env, workdir, ready, after, timeout, new Src(m.loc(), withKeys(f, m))));
    }

    /** Field places, plus {@code after[i]} for each after entry (the cycle check points at it). */
    private static Map<String, Loc> withKeys(Fields f, Tree.MapNode m) {
        Map<String, Loc> locs = new LinkedHashMap<>(f.locations());
        if (m.entries().get("after") != null && m.entries().get("after").value() instanceof Tree.ListNode l)
            for (int i = 0; i < l.items().size(); i++) locs.put("after[" + i + "]", l.items().get(i).loc());
        if (m.entries().get("cmd") != null && m.entries().get("cmd").value() instanceof Tree.ListNode l && !l.items().isEmpty())
            locs.put("cmd[0]", l.items().getFirst().loc());
        return locs;
    }

    private Optional<List<String>> cmd(String what, Tree t) {
        if (!(t instanceof Tree.ListNode l) || l.items().isEmpty()) {
            problems.add(new Problem(t.loc(), what + ": cmd must be a non-empty list [PROGRAM, ARGS...], not " + t.describe(),
                    "no shell is used; write [sh, -c, \"...\"] for one"));
            return Optional.empty();
        }
        List<String> out = new ArrayList<>();
        for (Tree a : l.items()) {
            if (a instanceof Tree.Scalar s && s.type() != Tree.ScalarType.NULL) out.add(s.text());
            else {
                problems.add(new Problem(a.loc(), what + ": a cmd argument must be text, not " + a.describe(), ""));
                return Optional.empty();
            }
        }
        if (out.getFirst().isEmpty()) {
            problems.add(new Problem(l.items().getFirst().loc(), what + ": the program name is empty", ""));
            return Optional.empty();
        }
        return Optional.of(out);
    }

    private Optional<Ready> ready(String what, Tree t) {
        String fix = "tcp PORT, udp PORT, exit, file PATH, {file: PATH} or a delay like 2s";
        if (t instanceof Tree.MapNode m) {
            Fields f = new Fields(m, what + " ready", READY, problems);
            if (m.entries().size() != 1) {
                problems.add(new Problem(m.loc(), what + ": ready must have exactly one of tcp, udp, file", fix));
                return Optional.empty();
            }
            if (f.has("tcp")) return f.integer("tcp", KernelLimits.PORT_MIN, KernelLimits.PORT_MAX, "port").map(Ready.Tcp::new);
            if (f.has("udp")) return f.integer("udp", KernelLimits.PORT_MIN, KernelLimits.PORT_MAX, "port").map(Ready.Udp::new);
            if (f.has("file")) return f.text("file").filter(p -> checkPath(what, f.loc("file"), p)).map(Ready.File::new);
            return Optional.empty();
        }
        if (!(t instanceof Tree.Scalar s) || s.type() == Tree.ScalarType.NULL || s.type() == Tree.ScalarType.BOOL) {
            problems.add(new Problem(t.loc(), what + ": ready must be " + fix + ", not " + t.describe(), ""));
            return Optional.empty();
        }
        String[] w = s.text().trim().split("\\s+", 2);
        switch (w[0]) {
            case "exit" -> {
                if (w.length == 1) return Optional.of(new Ready.Exit());
            }
            case "tcp", "udp" -> {
                if (w.length == 2 && w[1].matches("\\d{1,5}")) {
                    int port = Integer.parseInt(w[1]);
                    if (port >= KernelLimits.PORT_MIN && port <= KernelLimits.PORT_MAX) return Optional.of(w[0].equals("tcp") ? new Ready.Tcp(port) : new Ready.Udp(port));
                }
                problems.add(new Problem(s.loc(), what + ": ready '" + s.text() + "': the port must be " + KernelLimits.PORT_MIN + ".." + KernelLimits.PORT_MAX, ""));
                return Optional.empty();
            }
            case "file" -> {
                if (w.length == 2 && checkPath(what, s.loc(), w[1].trim())) return Optional.of(new Ready.File(w[1].trim()));
                if (w.length == 2) return Optional.empty();
            }
            default -> {
                Optional<Duration> d = duration(s);
                if (d.isPresent()) return Optional.of(new Ready.Delay(d.get()));
            }
        }
        problems.add(new Problem(s.loc(), what + ": unknown ready '" + s.text() + "'", fix));
        return Optional.empty();
    }

    private boolean checkPath(String what, Loc at, String p) {
        if (p.startsWith("/")) return true;
        problems.add(new Problem(at, what + ": ready file '" + p + "' is not an absolute path", "start it with '/'"));
        return false;
    }

    /** {@code 10s}, {@code 500ms}, {@code 1m}, or a number of seconds. */
    static Optional<Duration> duration(Tree t) {
        if (!(t instanceof Tree.Scalar s) || s.type() == Tree.ScalarType.BOOL || s.type() == Tree.ScalarType.NULL) return Optional.empty();
        Matcher m = DURATION.matcher(s.text().trim());
        if (!m.matches()) return Optional.empty();
        double v = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double ms = switch (unit) {
            case "ms" -> v;
            case "m" -> v * 60_000;
            default -> v * 1000;
        };
        if (ms > 3_600_000) return Optional.empty();
        return Optional.of(Duration.ofMillis(Math.round(ms)));
    }

    /** {@code sysctls: {net.ipv4.ip_forward: 1}}: only the node's own namespace's net.* keys. */
    Map<String, String> sysctls(String what, Optional<Tree.MapNode> map) {
        Map<String, String> out = new LinkedHashMap<>();
        if (map.isEmpty()) return out;
        for (Tree.Entry e : map.get().entries().values()) {
            if (!SYSCTL.matcher(e.key()).matches() || e.key().contains("..") || e.key().endsWith(".") || e.key().endsWith("/")) {
                problems.add(new Problem(e.keyLoc(), what + ": sysctl '" + e.key() + "' is not a net.* key",
                        "only the node's network namespace is set: net.ipv4.ip_forward, net.core.somaxconn, ..."));
                continue;
            }
            if (e.value() instanceof Tree.Scalar s && s.type() != Tree.ScalarType.NULL) {
                String v = s.type() == Tree.ScalarType.BOOL ? (Fields.truth(s.text()) ? "1" : "0") : s.text();
                if (v.contains("\n")) problems.add(new Problem(s.loc(), what + ": sysctl " + e.key() + ": one line only", ""));
                else out.put(e.key(), v);
            } else {
                problems.add(new Problem(e.value().loc(), what + ": sysctl " + e.key() + " must be a value, not " + e.value().describe(), ""));
            }
        }
        return out;
    }
}
