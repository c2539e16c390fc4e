package io.nslab.lab.load;

import io.nslab.lab.model.Expectation;
import io.nslab.lab.model.Forwarding;
import io.nslab.lab.model.IfRef;
import io.nslab.lab.model.Iface;
import io.nslab.lab.model.Impairment;
import io.nslab.lab.model.IfaceKind;
import io.nslab.lab.model.Ip;
import io.nslab.lab.model.KernelLimits;
import io.nslab.lab.model.KernelNames;
import io.nslab.lab.model.Lab;
import io.nslab.lab.model.Link;
import io.nslab.lab.model.Loc;
import io.nslab.lab.model.Mac;
import io.nslab.lab.model.Measure;
import io.nslab.lab.model.Masquerade;
import io.nslab.lab.model.Node;
import io.nslab.lab.model.Problem;
import io.nslab.lab.model.Proto;
import io.nslab.lab.model.Publish;
import io.nslab.lab.model.Route;
import io.nslab.lab.model.Run;
import io.nslab.lab.model.Service;
import io.nslab.lab.model.Src;
import io.nslab.lab.model.Target;
import io.nslab.netlink.route.IpPrefix;
import io.nslab.netlink.route.LinkKind.IpvlanMode;
import io.nslab.netlink.route.LinkKind.MacvlanMode;
import io.nslab.netlink.route.LinkKind.VlanProtocol;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads a topology file (YAML, or JSON) into a {@link Lab}, keeping the file:line:column of every element and
 * field. Structural problems (syntax, unknown fields, wrong types, bad CIDRs, missing required fields) are all
 * collected; cross-references (unknown nodes, subnets...) are the {@link io.nslab.lab.validate.Validator}'s.
 * The format is described in docs/topology.md.
 */
public final class LabLoader {
    static final Set<String> TOP = Set.of("name", "description", "nodes", "links", "expect");
    static final Set<String> NODE = Set.of("interfaces", "routes", "forwarding", "nat", "publish", "serve", "loopback", "run", "sysctls");
    static final Set<String> IFACE_COMMON = Set.of("kind", "addresses", "mtu", "mac", "ipv6", "up", "impair");
    /** Word -> own fields of each interface kind ({@link FileKind}). */
    static final Map<String, Set<String>> KIND_FIELDS = FileKind.table();
    static final Set<String> LINK = Set.of("ends", "mtu", "different-subnets", "impair");
    static final Set<String> END = Set.of("at", "addresses", "mtu", "mac", "ipv6", "up", "physical", "impair");
    static final Set<String> ROUTE = Set.of("dst", "via", "dev", "metric");
    static final Set<String> FORWARDING = Set.of("ipv4", "ipv6");
    static final Set<String> NAT = Set.of("masquerade", "out", "not-out");
    static final Set<String> PUBLISH = Set.of("port", "to", "proto", "in", "address");
    static final Set<String> SERVE = Set.of("proto", "port");
    static final Set<String> EXPECT = Set.of("from", "to", "proto", "port", "expect", "rtt", "rate");

    private final String file;
    private final List<Problem> problems = new ArrayList<>();
    private final Set<String> brokenNodes = new HashSet<>();
    private final Set<IfRef> brokenIfaces = new HashSet<>();
    private final List<Impairment> impairments = new ArrayList<>();

    private LabLoader(String file) {
        this.file = file;
    }

    /** Loads a file; an unreadable file is a problem, not an exception. */
    public static Loaded load(Path path) {
        String text;
        try {
            // checked before reading: a huge file costs time and memory before any syntax error shows
            if (Files.isDirectory(path)) return unreadable(path, "it is a directory", "give the lab file inside it");
            if (Files.isRegularFile(path) && Files.size(path) > MAX_BYTES)
                return unreadable(path, "the file is " + Files.size(path) + " bytes, more than the " + MAX_BYTES + " a lab file may have",
                        "a lab of 1000 nodes takes a few hundred KB; check that this is a lab file");
            byte[] bytes;
            try (InputStream in = Files.newInputStream(path)) {
                bytes = in.readNBytes(MAX_BYTES + 1);
            }
            if (bytes.length > MAX_BYTES)
                return unreadable(path, "more than the " + MAX_BYTES + " bytes a lab file may have", "check that this is a lab file");
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return unreadable(path, "it is not UTF-8 text (a binary file?)", "give a YAML or JSON lab file");
        } catch (IOException e) {
            String why = e instanceof FileSystemException f && f.getReason() != null ? f.getReason()
                    : e instanceof NoSuchFileException ? "no such file" : String.valueOf(e.getMessage());
            return unreadable(path, "cannot read the file: " + why, "check the path and permissions");
        }
        return parse(text, path.toString());
    }

    /** The longest line a lab file may have: no field of a lab comes near it. */
    public static final int MAX_LINE = 64 << 10;

    /**
     * SnakeYAML's reader copies its window for every chunk it reads, so the
     * time to scan one line grows with the square of its length (58 s for a
     * 10 MB scalar): lines are checked, in one pass, before the YAML parser sees them.
     */
    private static Optional<Problem> longLine(String text, String file) {
        int line = 1, start = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i < text.length() && text.charAt(i) != '\n') continue;
            if (i - start > MAX_LINE)
                return Optional.of(new Problem(new Loc(file, line, 1), "a line of " + (i - start) + " characters, more than the "
                        + MAX_LINE + " a lab file may have", "no value of a lab is this long; check that this is a lab file"));
            line++;
            start = i + 1;
        }
        return Optional.empty();
    }

    /** The ports a lab may name, as its messages write them. */
    private static final String PORTS = KernelLimits.PORT_MIN + ".." + KernelLimits.PORT_MAX;

    private static boolean isPort(int p) {
        return p >= KernelLimits.PORT_MIN && p <= KernelLimits.PORT_MAX;
    }

    /** The most a lab file may weigh: parsing is refused above it (a 1000-node lab is a few hundred KB). */
    public static final int MAX_BYTES = 2 << 20;

    private static Loaded unreadable(Path path, String problem, String hint) {
        return new Loaded(Optional.empty(), List.of(new Problem(new Loc(path.toString(), 0, 0), problem, hint)), Set.of(), Set.of());
    }

    /** The embedded default lab (the demo's S10), a resource of this module. */
    public static final String DEFAULT_LAB = "/io/nslab/lab/default-lab.yaml";

    /**
     * Opens one of this module's resources (such as {@link #DEFAULT_LAB}) for a
     * caller in another module, which cannot read it by name on the module path.
     */
    public static InputStream openResource(String resource) {
        return LabLoader.class.getResourceAsStream(resource);
    }

    /** Loads a class-path resource (the embedded default lab). */
    public static Loaded loadResource(String resource) {
        try (InputStream in = LabLoader.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing resource " + resource);
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource.substring(resource.lastIndexOf('/') + 1));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read resource " + resource, e);
        }
    }

    /** Parses text; {@code file} names it in problems and gives the default lab name. */
    public static Loaded parse(String text, String file) {
        if (text.length() > MAX_BYTES)
            return new Loaded(Optional.empty(), List.of(new Problem(new Loc(file, 0, 0), "more than the " + MAX_BYTES
                    + " characters a lab file may have", "check that this is a lab file")), Set.of(), Set.of());
        Optional<Problem> longLine = longLine(text, file);
        if (longLine.isPresent()) return new Loaded(Optional.empty(), List.of(longLine.get()), Set.of(), Set.of());
        LabLoader l = new LabLoader(file);
        Optional<Lab> lab = new TreeParser(file, l.problems).parse(text).flatMap(l::lab);
        return new Loaded(lab, l.problems, l.brokenNodes, l.brokenIfaces);
    }

    // ---------------------------------------------------------------- lab

    private Optional<Lab> lab(Tree root) {
        if (!(root instanceof Tree.MapNode m)) {
            problems.add(new Problem(root.loc(), "a lab file must be a map with 'name:' and 'nodes:', not " + root.describe(),
                    "see docs/topology.md"));
            return Optional.empty();
        }
        Fields f = new Fields(m, "lab", TOP, problems);
        String name = f.text("name").orElse(null);
        if (name != null && !KernelNames.LAB_NAME.matcher(name).matches()) {
            f.problem("name", "lab name '" + name + "' is not allowed",
                    "use 1-32 letters, digits, '-' or '_', starting with a letter or digit (it prefixes namespace names)");
            name = null;
        }
        if (name == null) name = defaultName();

        Map<String, NodeDraft> drafts = new LinkedHashMap<>();
        Optional<Tree.MapNode> nodes = f.map("nodes");
        if (nodes.isEmpty() && !f.has("nodes"))
            f.missing("nodes", "add a 'nodes:' map; every namespace of the lab is a node");
        nodes.ifPresent(nm -> {
            if (nm.entries().isEmpty())
                problems.add(new Problem(nm.loc(), "lab: 'nodes' is empty", "add at least one node"));
            for (Tree.Entry e : nm.entries().values()) node(e).ifPresent(d -> drafts.put(d.name, d));
        });

        List<Link> links = new ArrayList<>();
        List<Tree> linkItems = f.list("links");
        for (Tree t : linkItems) link(t, drafts).ifPresent(links::add);

        List<Expectation> expect = new ArrayList<>();
        for (Tree t : f.list("expect")) expectation(t).ifPresent(expect::add);

        List<Node> built = drafts.values().stream().map(NodeDraft::build).toList();
        return Optional.of(new Lab(name, f.text("description"), built, links, expect, new Src(f.at(), f.locations()), impairments));
    }

    private String defaultName() {
        String base = Path.of(file).getFileName().toString();
        int dot = base.indexOf('.');
        if (dot > 0) base = base.substring(0, dot);
        String s = base.replaceAll("[^A-Za-z0-9_-]", "-").replaceAll("^[-_]+", "");
        if (s.isEmpty()) s = "lab";
        return s.length() > 32 ? s.substring(0, 32) : s;
    }

    // ---------------------------------------------------------------- nodes

    /** A node being read: links add their veth ends to it. */
    private static final class NodeDraft {
        final String name;
        final List<Iface> ifaces = new ArrayList<>();
        List<Route> routes = List.of();
        Forwarding forwarding = Forwarding.OFF;
        List<Masquerade> nat = List.of();
        List<Publish> publish = List.of();
        List<Service> serve = List.of();
        boolean loopback = true;
        List<Run> run = List.of();
        Map<String, String> sysctls = Map.of();
        Src src;

        NodeDraft(String name, Src src) {
            this.name = name;
            this.src = src;
        }

        Node build() {
            return new Node(name, ifaces, routes, forwarding, nat, publish, serve, loopback, run, sysctls, src);
        }
    }

    private Optional<NodeDraft> node(Tree.Entry e) {
        String name = e.key();
        if (!KernelNames.NODE_NAME.matcher(name).matches()) {
            problems.add(new Problem(e.keyLoc(), "node name '" + name + "' is not allowed",
                    "use 1-64 letters, digits, '-' or '_', starting with a letter or digit (no '.', it separates lab and node in namespace names)"));
            brokenNodes.add(name);
            return Optional.empty();
        }
        Tree.MapNode m;
        if (e.value() instanceof Tree.MapNode mm) m = mm;
        else if (e.value() instanceof Tree.Scalar s && s.type() == Tree.ScalarType.NULL) m = Fields.empty(e.keyLoc());
        else {
            problems.add(new Problem(e.value().loc(), "node " + name + " must be a map of settings (or empty), not " + e.value().describe(),
                    "write 'name:' alone for a bare namespace, or 'name: {interfaces: ...}'"));
            brokenNodes.add(name);
            return Optional.empty();
        }
        String what = "node " + name;
        Fields f = new Fields(m, what, NODE, problems);
        NodeDraft d = new NodeDraft(name, new Src(e.keyLoc(), f.locations()));
        f.map("interfaces").ifPresent(im -> {
            for (Tree.Entry ie : im.entries().values()) iface(name, ie).ifPresent(d.ifaces::add);
        });
        d.routes = f.list("routes").stream().flatMap(t -> route(what, t).stream()).toList();
        d.forwarding = forwarding(f);
        d.nat = f.list("nat").stream().flatMap(t -> nat(what, t).stream()).toList();
        d.publish = f.list("publish").stream().flatMap(t -> publish(what, t).stream()).toList();
        d.serve = f.list("serve").stream().flatMap(t -> service(what, t).stream()).toList();
        d.loopback = f.bool("loopback", true);
        RunFields rf = new RunFields(problems);
        d.run = rf.runs(what, f.list("run"));
        d.sysctls = rf.sysctls(what, f.map("sysctls"));
        return Optional.of(d);
    }

    private Forwarding forwarding(Fields f) {
        Optional<Tree> v = f.get("forwarding");
        if (v.isEmpty()) return Forwarding.OFF;
        if (v.get() instanceof Tree.Scalar s && s.type() == Tree.ScalarType.BOOL) {
            boolean on = Fields.truth(s.text());
            return new Forwarding(on, false);
        }
        if (v.get() instanceof Tree.MapNode m) {
            Fields ff = new Fields(m, f.what() + " forwarding", FORWARDING, problems);
            return new Forwarding(ff.bool("ipv4", false), ff.bool("ipv6", false));
        }
        f.wrongType("forwarding", "true, false or {ipv4: true, ipv6: true}", v.get());
        return Forwarding.OFF;
    }

    // ---------------------------------------------------------------- interfaces

    private Optional<Iface> iface(String node, Tree.Entry e) {
        String name = e.key();
        String what = "interface " + name + " of node " + node;
        IfRef ref = new IfRef(node, name);
        if (!(e.value() instanceof Tree.MapNode m)) {
            problems.add(new Problem(e.value().loc(), what + " must be a map with 'kind:', not " + e.value().describe(),
                    "e.g. '" + name + ": {kind: bridge}'"));
            brokenIfaces.add(ref);
            return Optional.empty();
        }
        Optional<String> kindWord = Optional.empty();
        if (m.entries().get("kind") != null && m.entries().get("kind").value() instanceof Tree.Scalar ks)
            kindWord = Optional.of(ks.text().toLowerCase(Locale.ROOT));
        Set<String> known = new HashSet<>(IFACE_COMMON);
        Optional<FileKind> fileKind = kindWord.flatMap(FileKind::of).filter(FileKind::declarable);
        if (fileKind.isPresent()) known.addAll(fileKind.get().fields());
        else KIND_FIELDS.values().forEach(known::addAll);
        Fields f = new Fields(m, what, known, problems);
        ifnameCheck(name, e.keyLoc(), what);

        Optional<IfaceKind> kind = Optional.empty();
        if (!f.has("kind")) {
            f.missing("kind", "add 'kind:' one of " + String.join(", ", KIND_FIELDS.keySet().stream().sorted().toList())
                    + " (veth pairs go under 'links:')");
        } else if (kindWord.isEmpty()) {
            f.text("kind");
        } else {
            kind = kind(node, name, kindWord.get(), f);
        }
        Optional<Iface> i = kind.flatMap(k -> common(node, name, k, f, e.keyLoc(), Optional.empty()));
        if (i.isEmpty()) brokenIfaces.add(ref);
        ImpairReader.read(f, ref, problems).ifPresent(impairments::add);
        return i;
    }

    private Optional<IfaceKind> kind(String node, String name, String word, Fields f) {
        Optional<FileKind> known = FileKind.of(word);
        if (known.isEmpty()) {
            String near = Fields.nearest(word, KIND_FIELDS.keySet());
            f.problem("kind", "unknown interface kind '" + word + "'",
                    (near.isEmpty() ? "" : "did you mean '" + near + "'? ") + "kinds: "
                            + String.join(", ", KIND_FIELDS.keySet().stream().sorted().toList()) + "; veth pairs go under 'links:'");
            return Optional.empty();
        }
        switch (known.get()) {
            case BRIDGE -> {
                List<String> ports = new ArrayList<>();
                for (Tree t : f.list("ports")) Values.text(t, f.what() + ": a port", problems).ifPresent(ports::add);
                return Optional.of(new IfaceKind.Bridge(ports, f.bool("stp", false)));
            }
            case MACVLAN -> {
                Optional<MacvlanMode> mode = keyword(f, "mode", MacvlanMode.values(), MacvlanMode::keyword, MacvlanMode.BRIDGE);
                Optional<IfRef> parent = parent(node, f);
                if (mode.isEmpty() || parent.isEmpty()) return Optional.empty();
                return Optional.of(new IfaceKind.Macvlan(mode.get(), parent.get()));
            }
            case IPVLAN -> {
                Optional<IpvlanMode> mode = keyword(f, "mode", IpvlanMode.values(), IpvlanMode::keyword, IpvlanMode.L2);
                Optional<IfRef> parent = parent(node, f);
                if (mode.isEmpty() || parent.isEmpty()) return Optional.empty();
                return Optional.of(new IfaceKind.Ipvlan(mode.get(), parent.get()));
            }
            case VLAN -> {
                Optional<Integer> id = f.integer("id", KernelLimits.VLAN_ID_MIN, KernelLimits.VLAN_ID_MAX, "VLAN id");
                if (!f.has("id")) f.missing("id", "add 'id:' the 802.1Q tag, " + KernelLimits.VLAN_ID_MIN + ".." + KernelLimits.VLAN_ID_MAX);
                Optional<IfRef> parent = parent(node, f);
                VlanProtocol proto = VlanProtocol.DOT1Q;
                Optional<String> p = f.text("protocol");
                if (p.isPresent()) {
                    Optional<VlanProtocol> named = VlanProtocol.ofKeyword(p.get());
                    if (named.isEmpty()) {
                        f.problem("protocol", "unknown VLAN protocol '" + p.get() + "'", "use 802.1Q or 802.1ad");
                        return Optional.empty();
                    }
                    proto = named.get();
                }
                if (id.isEmpty() || parent.isEmpty()) return Optional.empty();
                return Optional.of(new IfaceKind.Vlan(id.get(), parent.get(), proto));
            }
            case VXLAN -> {
                if (!f.has("vni")) f.missing("vni", "add 'vni:' the VXLAN network identifier, 0.." + KernelLimits.VNI_MAX + " (the seeds use 100)");
                Optional<Integer> vni = f.integer("vni", 0, KernelLimits.VNI_MAX, "VXLAN network identifier");
                Optional<InetAddress> local = address(f, "local"), remote = address(f, "remote"), group = address(f, "group");
                Optional<String> dev = f.text("dev");
                int port = f.integer("dstport", KernelLimits.PORT_MIN, KernelLimits.PORT_MAX, "UDP port").orElse(IfaceKind.Vxlan.IANA_PORT);
                if (vni.isEmpty()) return Optional.empty();
                return Optional.of(new IfaceKind.Vxlan(vni.get(), local, remote, group, dev, port, f.bool("learning", true)));
            }
            case TUN -> {
                return Optional.of(new IfaceKind.Tun(owner(f), group(f)));
            }
            case TAP -> {
                return Optional.of(new IfaceKind.Tap(owner(f), group(f)));
            }
            case PHYSICAL -> {
                String host = f.text("host").orElse(name);
                return Optional.of(new IfaceKind.Physical(host, f.bool("external", false)));
            }
            case VETH -> {
                f.problem("kind", "veth pairs are not declared under 'interfaces:'",
                        "add a link under 'links:' with 'ends: [" + node + ":" + name + ", OTHER:IFNAME]'");
                return Optional.empty();
            }
        }
        throw new AssertionError(word);     // every case returns
    }

    private static OptionalInt owner(Fields f) {
        return opt(f.integer("owner", 0, Integer.MAX_VALUE, "owner uid"));
    }

    private static OptionalInt group(Fields f) {
        return opt(f.integer("group", 0, Integer.MAX_VALUE, "group gid"));
    }

    private Optional<IfRef> parent(String node, Fields f) {
        Optional<String> p = f.requiredText("parent", "add 'parent:' the interface it sits on, 'IFNAME' in this node or 'NODE:IFNAME'");
        return p.flatMap(s -> ifRef(node, s, f.loc("parent"), f.what() + ": parent"));
    }

    /** {@code node:ifname}, or {@code ifname} meaning {@code defaultNode:ifname} when a default node is given. */
    private Optional<IfRef> ifRef(String defaultNode, String s, Loc at, String what) {
        int colon = s.indexOf(':');
        if (colon < 0) {
            if (defaultNode != null) return Optional.of(new IfRef(defaultNode, s));
            problems.add(new Problem(at, what + " '" + s + "' must be NODE:IFNAME", "e.g. 'nginx:eth0'"));
            return Optional.empty();
        }
        String n = s.substring(0, colon), i = s.substring(colon + 1);
        if (n.isEmpty() || i.isEmpty() || i.indexOf(':') >= 0) {
            problems.add(new Problem(at, what + " '" + s + "' must be NODE:IFNAME", "e.g. 'nginx:eth0'"));
            return Optional.empty();
        }
        return Optional.of(new IfRef(n, i));
    }

    /** A keyword field ({@code mode: bridge}): one of {@code values} by its keyword, any case; {@code dflt} when absent. */
    private <E> Optional<E> keyword(Fields f, String key, E[] values, Function<E, String> word, E dflt) {
        Optional<String> t = f.text(key);
        if (t.isEmpty()) return f.has(key) ? Optional.empty() : Optional.of(dflt);
        for (E e : values)
            if (word.apply(e).equalsIgnoreCase(t.get())) return Optional.of(e);
        List<String> words = Arrays.stream(values).map(word).toList();
        f.problem(key, "unknown " + key + " '" + t.get() + "'", "use one of " + String.join(", ", words));
        return Optional.empty();
    }

    private Optional<InetAddress> address(Fields f, String key) {
        return f.text(key).flatMap(s -> {
            try {
                return Optional.of(Ip.parse(s));
            } catch (IllegalArgumentException e) {
                f.problem(key, e.getMessage(), "write an address literal; names are never resolved");
                return Optional.empty();
            }
        });
    }

    private static OptionalInt opt(Optional<Integer> i) {
        return i.map(OptionalInt::of).orElse(OptionalInt.empty());
    }

    private void ifnameCheck(String name, Loc at, String what) {
        KernelNames.ifnameProblem(name).ifPresent(p -> problems.add(new Problem(at, what + ": " + p,
                "use at most " + KernelLimits.IFNAME_MAX + " bytes without '/', ':' or spaces (the kernel's IFNAMSIZ)")));
    }

    /** The fields every interface has; {@code linkMtu} is the link-wide MTU for veth ends. */
    private Optional<Iface> common(String node, String name, IfaceKind kind, Fields f, Loc at, Optional<Integer> linkMtu) {
        List<IpPrefix> addrs = new ArrayList<>();
        for (Tree t : f.list("addresses")) {
            Values.text(t, f.what() + ": an address", problems).ifPresent(s -> {
                try {
                    addrs.add(Ip.parsePrefix(s));
                } catch (IllegalArgumentException e) {
                    problems.add(new Problem(t.loc(), f.what() + ": " + e.getMessage(), "write ADDRESS/PREFIX-LENGTH, e.g. 10.0.0.1/24"));
                }
            });
        }
        Optional<Integer> mtu = f.integer("mtu", KernelLimits.MTU_MIN, KernelLimits.MTU_MAX, "MTU");
        if (mtu.isEmpty()) mtu = linkMtu;
        Optional<Mac> mac = f.text("mac").flatMap(s -> {
            try {
                return Optional.of(Mac.parse(s));
            } catch (IllegalArgumentException e) {
                f.problem("mac", e.getMessage(), "write six hex pairs separated by ':'");
                return Optional.empty();
            }
        });
        boolean anyV6 = addrs.stream().anyMatch(IpPrefix::isIpv6);
        Optional<Boolean> v6 = f.bool("ipv6");
        if (v6.isPresent() && !v6.get() && anyV6)
            f.problem("ipv6", "ipv6 is false but the interface has an IPv6 address",
                    "remove 'ipv6: false' or the IPv6 address");
        boolean ipv6 = v6.orElse(anyV6);
        Map<String, Loc> locs = f.locations();
        return Optional.of(new Iface(node, name, kind, addrs, opt(mtu), mac, ipv6, f.bool("up", true), new Src(at, locs)));
    }

    // ---------------------------------------------------------------- links

    private Optional<Link> link(Tree t, Map<String, NodeDraft> nodes) {
        Tree.MapNode m;
        if (t instanceof Tree.ListNode l) {
            m = new Tree.MapNode(Map.of("ends", new Tree.Entry("ends", l.loc(), l)), l.loc());
        } else if (t instanceof Tree.MapNode mm) {
            m = mm;
        } else {
            problems.add(new Problem(t.loc(), "a link must be a map with 'ends:' or a list of two ends, not " + t.describe(),
                    "e.g. '- ends: [a:eth0, b:eth0]'"));
            return Optional.empty();
        }
        Fields f = new Fields(m, "link at line " + t.loc().line(), LINK, problems);
        Optional<Integer> mtu = f.integer("mtu", KernelLimits.MTU_MIN, KernelLimits.MTU_MAX, "MTU");
        Optional<ImpairReader.Settings> impair = ImpairReader.settings(f, problems);
        if (!f.has("ends")) {
            f.missing("ends", "add 'ends: [NODE:IFNAME, NODE:IFNAME]'");
            return Optional.empty();
        }
        List<Tree> ends = f.list("ends");
        if (ends.size() != 2) {
            f.problem("ends", "a link has exactly two ends, this one has " + ends.size(), "a veth pair joins two interfaces; use a bridge for more");
            return Optional.empty();
        }
        Optional<EndDraft> a = end(ends.get(0), f.what()), b = end(ends.get(1), f.what());
        if (a.isEmpty() || b.isEmpty()) {
            a.ifPresent(x -> brokenIfaces.add(x.ref));
            b.ifPresent(x -> brokenIfaces.add(x.ref));
            return Optional.empty();
        }
        Iface ia = endIface(a.get(), b.get().ref, mtu), ib = endIface(b.get(), a.get().ref, mtu);
        if (ia == null || ib == null) return Optional.empty();
        NodeDraft na = nodes.get(ia.node()), nb = nodes.get(ib.node());
        if (na != null) na.ifaces.add(ia);
        if (nb != null) nb.ifaces.add(ib);
        // an end's own impair replaces the link's for that end
        for (EndDraft d : List.of(a.get(), b.get())) {
            Optional<Impairment> own = ImpairReader.read(d.fields, d.ref, problems);
            if (own.isPresent()) impairments.add(own.get());
            else if (!d.fields.has("impair")) impair.ifPresent(s -> impairments.add(new Impairment(d.ref, s.impair(), s.src())));
        }
        return Optional.of(new Link(ia, ib, f.bool("different-subnets", false), new Src(f.at(), f.locations())));
    }

    private record EndDraft(IfRef ref, Fields fields, Loc at) {}

    private Optional<EndDraft> end(Tree t, String what) {
        Tree.MapNode m;
        Loc atLoc;
        String at;
        if (t instanceof Tree.Scalar s && s.type() == Tree.ScalarType.STRING) {
            m = new Tree.MapNode(Map.of("at", new Tree.Entry("at", s.loc(), s)), s.loc());
            at = s.text();
            atLoc = s.loc();
        } else if (t instanceof Tree.MapNode mm) {
            m = mm;
            Tree.Entry e = mm.entries().get("at");
            if (e == null || !(e.value() instanceof Tree.Scalar s) || s.type() != Tree.ScalarType.STRING) {
                problems.add(new Problem(t.loc(), what + ": a link end needs 'at: NODE:IFNAME'", "e.g. '{at: nginx:eth0, addresses: [172.17.10.10/16]}'"));
                new Fields(mm, what + " end", END, problems);
                return Optional.empty();
            }
            at = s.text();
            atLoc = s.loc();
        } else {
            problems.add(new Problem(t.loc(), what + ": a link end must be 'NODE:IFNAME' or a map with 'at:', not " + t.describe(),
                    "e.g. 'nginx:eth0'"));
            return Optional.empty();
        }
        Optional<IfRef> ref = ifRef(null, at, atLoc, what + ": end");
        if (ref.isEmpty()) return Optional.empty();
        String ewhat = "interface " + ref.get().name() + " of node " + ref.get().node();
        Fields f = new Fields(m, ewhat, END, problems);
        ifnameCheck(ref.get().name(), atLoc, ewhat);
        return Optional.of(new EndDraft(ref.get(), f, atLoc));
    }

    private Iface endIface(EndDraft d, IfRef peer, Optional<Integer> linkMtu) {
        IfaceKind kind = new IfaceKind.Veth(peer, d.fields.bool("physical", false));
        return common(d.ref.node(), d.ref.name(), kind, d.fields, d.at, linkMtu).orElse(null);
    }

    // ---------------------------------------------------------------- routes, NAT, ports

    private Optional<Route> route(String node, Tree t) {
        if (!(t instanceof Tree.MapNode m)) {
            problems.add(new Problem(t.loc(), node + ": a route must be a map like {dst: default, via: 10.0.0.1}, not " + t.describe(), ""));
            return Optional.empty();
        }
        Fields f = new Fields(m, node + " route", ROUTE, problems);
        Optional<InetAddress> via = address(f, "via");
        Optional<String> dev = f.text("dev");
        Optional<Integer> metric = f.integer("metric", 0, Integer.MAX_VALUE, "metric");
        Optional<String> dstText = f.requiredText("dst", "add 'dst:' a subnet like 10.0.2.0/24 or 'default'");
        if (!f.has("via") && !f.has("dev"))
            problems.add(new Problem(m.loc(), node + " route: needs 'via:' (a gateway) or 'dev:' (an interface) or both", ""));
        if (dstText.isEmpty()) return Optional.empty();
        IpPrefix dst;
        if (dstText.get().equals("default")) {
            dst = IpPrefix.any(via.map(Ip::isV6).orElse(false));
        } else {
            try {
                dst = Ip.parsePrefix(dstText.get(), true);
            } catch (IllegalArgumentException e) {
                f.problem("dst", e.getMessage(), "write a subnet like 10.0.2.0/24 or 'default'");
                return Optional.empty();
            }
        }
        if (f.has("via") && via.isEmpty()) return Optional.empty();
        if (!f.has("via") && !f.has("dev")) return Optional.empty();
        return Optional.of(new Route(dst, via, dev, opt(metric), new Src(m.loc(), f.locations())));
    }

    private Optional<Masquerade> nat(String node, Tree t) {
        if (!(t instanceof Tree.MapNode m)) {
            problems.add(new Problem(t.loc(), node + ": a nat entry must be a map like {masquerade: 172.17.0.0/16, not-out: docker0}, not " + t.describe(), ""));
            return Optional.empty();
        }
        Fields f = new Fields(m, node + " nat", NAT, problems);
        Optional<String> src = f.requiredText("masquerade", "add 'masquerade:' the source subnet, e.g. 172.17.0.0/16");
        Optional<String> out = f.text("out"), notOut = f.text("not-out");
        if (out.isPresent() && notOut.isPresent()) {
            f.problem("not-out", "'out' and 'not-out' together", "keep one: 'out: uplink' or 'not-out: docker0'");
            return Optional.empty();
        }
        if (src.isEmpty()) return Optional.empty();
        try {
            IpPrefix c = Ip.parsePrefix(src.get(), true);
            return Optional.of(new Masquerade(c, out, notOut, new Src(m.loc(), f.locations())));
        } catch (IllegalArgumentException e) {
            f.problem("masquerade", e.getMessage(), "write the subnet, e.g. 172.17.0.0/16");
            return Optional.empty();
        }
    }

    private Optional<Publish> publish(String node, Tree t) {
        if (!(t instanceof Tree.MapNode m)) {
            problems.add(new Problem(t.loc(), node + ": a published port must be a map like {port: 8080, to: nginx:80}, not " + t.describe(), ""));
            return Optional.empty();
        }
        Fields f = new Fields(m, node + " publish", PUBLISH, problems);
        if (!f.has("port")) f.missing("port", "add 'port:' the port published on this node, " + PORTS);
        Optional<Integer> port = f.integer("port", KernelLimits.PORT_MIN, KernelLimits.PORT_MAX, "port");
        Optional<String> to = f.requiredText("to", "add 'to: NODE:PORT', e.g. 'to: nginx:80'");
        Proto proto = Proto.TCP;
        Optional<String> p = f.text("proto");
        if (p.isPresent()) {
            Optional<Proto> pp = Proto.parse(p.get());
            if (pp.isEmpty() || !(pp.get() == Proto.TCP || pp.get() == Proto.UDP)) {
                f.problem("proto", "a published port is tcp or udp, not '" + p.get() + "'", "use 'proto: tcp' or 'proto: udp'");
                return Optional.empty();
            }
            proto = pp.get();
        }
        Optional<InetAddress> address = address(f, "address");
        if (to.isEmpty() || port.isEmpty()) return Optional.empty();
        int colon = to.get().lastIndexOf(':');
        String portText = colon < 0 ? "" : to.get().substring(colon + 1);
        if (colon <= 0 || !portText.matches("[0-9]{1,5}") || !isPort(Integer.parseInt(portText))) {
            f.problem("to", "'" + to.get() + "' must be NODE:PORT with a port " + PORTS, "e.g. 'to: nginx:80'");
            return Optional.empty();
        }
        if (f.has("address") && address.isEmpty()) return Optional.empty();
        return Optional.of(new Publish(port.get(), proto, to.get().substring(0, colon), Integer.parseInt(portText), address,
                f.text("in"), new Src(m.loc(), f.locations())));
    }

    private Optional<Service> service(String node, Tree t) {
        if (t instanceof Tree.Scalar s && s.type() == Tree.ScalarType.STRING) {
            String[] w = s.text().strip().split("\\s+");
            Optional<Proto> p = Proto.parse(w[0]);
            if (w.length == 2 && p.isPresent() && p.get().hasPort() && w[1].matches("[0-9]{1,5}")) {
                int port = Integer.parseInt(w[1]);
                if (isPort(port)) return Optional.of(new Service(p.get(), port, Src.of(s.loc())));
            }
            problems.add(new Problem(s.loc(), node + ": service '" + s.text() + "' must be 'PROTO PORT'",
                    "e.g. 'http 80', 'tcp 5000' or 'udp 53' (port " + PORTS + ")"));
            return Optional.empty();
        }
        if (!(t instanceof Tree.MapNode m)) {
            problems.add(new Problem(t.loc(), node + ": a service must be 'PROTO PORT' or {proto: http, port: 80}, not " + t.describe(), ""));
            return Optional.empty();
        }
        Fields f = new Fields(m, node + " serve", SERVE, problems);
        Optional<String> p = f.requiredText("proto", "add 'proto:' tcp, udp or http");
        if (!f.has("port")) f.missing("port", "add 'port:' " + PORTS);
        Optional<Integer> port = f.integer("port", KernelLimits.PORT_MIN, KernelLimits.PORT_MAX, "port");
        Optional<Proto> proto = p.flatMap(Proto::parse).filter(Proto::hasPort);
        if (p.isPresent() && proto.isEmpty()) f.problem("proto", "a service is tcp, udp or http, not '" + p.get() + "'", "");
        if (proto.isEmpty() || port.isEmpty()) return Optional.empty();
        return Optional.of(new Service(proto.get(), port.get(), new Src(m.loc(), f.locations())));
    }

    // ---------------------------------------------------------------- expectations

    private Optional<Expectation> expectation(Tree t) {
        if (t instanceof Tree.Scalar s && s.type() == Tree.ScalarType.STRING) return sentence(s);
        if (!(t instanceof Tree.MapNode m)) {
            problems.add(new Problem(t.loc(), "an expectation must be a sentence like 'a reaches b tcp 80' or a map, not " + t.describe(), ""));
            return Optional.empty();
        }
        Fields f = new Fields(m, "expectation", EXPECT, problems);
        Optional<String> from = f.requiredText("from", "add 'from:' the node the probe starts in");
        Optional<String> to = f.requiredText("to", "add 'to:' a node, NODE:IFNAME or an address");
        Proto proto = Proto.ICMP;
        Optional<String> p = f.text("proto");
        if (p.isPresent()) {
            Optional<Proto> pp = Proto.parse(p.get());
            if (pp.isEmpty()) {
                f.problem("proto", "unknown protocol '" + p.get() + "'", "use icmp, tcp, udp or http");
                return Optional.empty();
            }
            proto = pp.get();
        }
        Optional<Integer> port = f.integer("port", KernelLimits.PORT_MIN, KernelLimits.PORT_MAX, "port");
        if (f.has("port") && port.isEmpty()) return Optional.empty();
        boolean reach = true;
        Optional<String> ex = f.text("expect");
        if (ex.isPresent()) {
            switch (ex.get()) {
                case "reach" -> reach = true;
                case "blocked" -> reach = false;
                default -> {
                    f.problem("expect", "'expect' is reach or blocked, not '" + ex.get() + "'", "");
                    return Optional.empty();
                }
            }
        }
        Optional<Measure> measure = Optional.empty();
        for (String key : List.of("rtt", "rate")) {
            Optional<String> bound = f.text(key);
            if (bound.isEmpty()) continue;
            if (measure.isPresent()) {
                f.problem(key, "'rtt' and 'rate' together", "one measure per expectation: write two expectations");
                return Optional.empty();
            }
            String[] w = bound.get().strip().split("\\s+");
            try {
                if (w.length != 2) throw new IllegalArgumentException("'" + bound.get() + "' must be a comparison and a value, like '>= 40ms'");
                measure = Optional.of(Measure.parse(key, w[0], w[1]));
            } catch (IllegalArgumentException e) {
                f.problem(key, e.getMessage(), key.equals("rtt") ? "e.g. 'rtt: \">= 40ms\"'" : "e.g. 'rate: \">= 8mbit\"'");
                return Optional.empty();
            }
        }
        if (from.isEmpty() || to.isEmpty()) return Optional.empty();
        if (!portRule(proto, opt(port), f.loc(f.has("port") ? "port" : "proto"), "expectation")) return Optional.empty();
        if (measure.isPresent() && !measureRule(measure.get(), proto, reach, f.loc(measure.get().word()), "expectation")) return Optional.empty();
        Optional<Target> target = target(to.get(), f.loc("to"));
        if (target.isEmpty()) return Optional.empty();
        return Optional.of(new Expectation(from.get(), target.get(), proto, opt(port), reach, new Src(m.loc(), f.locations()), measure));
    }

    /** rtt goes with icmp, rate with tcp (a bulk transfer through the TCP service); neither with 'cannot reach'. */
    private boolean measureRule(Measure m, Proto proto, boolean reach, Loc at, String what) {
        String fix = "write 'FROM reaches TO rtt >= 40ms' or 'FROM reaches TO tcp PORT rate >= 8mbit'";
        if (!reach) problems.add(new Problem(at, what + ": '" + m.word() + "' bounds what is reached, not a blocked path", fix));
        else if (m instanceof Measure.Rtt && proto != Proto.ICMP) problems.add(new Problem(at, what + ": 'rtt' is measured with icmp, not " + proto.word(), fix));
        else if (m instanceof Measure.Throughput && proto != Proto.TCP) problems.add(new Problem(at, what + ": 'rate' is measured over tcp PORT, not " + proto.word(), fix));
        else return true;
        return false;
    }

    private boolean portRule(Proto proto, OptionalInt port, Loc at, String what) {
        if (proto.hasPort() && port.isEmpty()) {
            problems.add(new Problem(at, what + ": " + proto.word() + " needs a port", "add the port, e.g. '" + proto.word() + " 80'"));
            return false;
        }
        if (!proto.hasPort() && port.isPresent()) {
            problems.add(new Problem(at, what + ": icmp has no port", "remove the port or use tcp/udp/http"));
            return false;
        }
        return true;
    }

    private Optional<Target> target(String s, Loc at) {
        try {
            return Optional.of(new Target.AddressTarget(Ip.parse(s)));
        } catch (IllegalArgumentException e) {
            // not an address: a node or node:ifname
        }
        if (s.indexOf(':') >= 0) {
            return ifRef(null, s, at, "expectation target").map(Target.IfaceTarget::new);
        }
        if (!KernelNames.NODE_NAME.matcher(s).matches()) {
            problems.add(new Problem(at, "expectation target '" + s + "' is not a node, NODE:IFNAME or an address", ""));
            return Optional.empty();
        }
        return Optional.of(new Target.NodeTarget(s));
    }

    /** {@code FROM (reaches|cannot reach) TO [icmp | tcp PORT | udp PORT | http PORT]}. */
    private Optional<Expectation> sentence(Tree.Scalar s) {
        String text = s.text().strip();
        List<String> w = new ArrayList<>(List.of(text.split("\\s+")));
        String form = "write 'FROM reaches TO [icmp|tcp PORT|udp PORT|http PORT]' or 'FROM cannot reach TO ...'";
        if (w.size() < 3) {
            problems.add(new Problem(s.loc(), "expectation '" + text + "' is too short", form));
            return Optional.empty();
        }
        String from = w.remove(0);
        boolean reach;
        String verb = w.remove(0).toLowerCase(Locale.ROOT);
        if (verb.equals("reaches")) reach = true;
        else if ((verb.equals("cannot") || verb.equals("can't")) && !w.isEmpty() && w.get(0).equalsIgnoreCase("reach")) {
            w.remove(0);
            reach = false;
        } else {
            problems.add(new Problem(s.loc(), "expectation '" + text + "': expected 'reaches' or 'cannot reach' after '" + from + "'", form));
            return Optional.empty();
        }
        if (w.isEmpty()) {
            problems.add(new Problem(s.loc(), "expectation '" + text + "' names no target", form));
            return Optional.empty();
        }
        String to = w.remove(0);
        Proto proto = Proto.ICMP;
        OptionalInt port = OptionalInt.empty();
        Optional<Measure> measure = Optional.empty();
        int at = w.indexOf("rtt") >= 0 ? w.indexOf("rtt") : w.indexOf("rate");
        if (at >= 0) {
            List<String> m = new ArrayList<>(w.subList(at, w.size()));
            w = new ArrayList<>(w.subList(0, at));
            try {
                if (m.size() != 3) throw new IllegalArgumentException("'" + String.join(" ", m) + "' must be '" + m.get(0) + " >= VALUE' or '" + m.get(0) + " <= VALUE'");
                measure = Optional.of(Measure.parse(m.get(0), m.get(1), m.get(2)));
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(s.loc(), "expectation '" + text + "': " + e.getMessage(), "e.g. 'a reaches b rtt >= 40ms' or 'a reaches b tcp 5201 rate >= 8mbit'"));
                return Optional.empty();
            }
        }
        if (!w.isEmpty()) {
            Optional<Proto> p = Proto.parse(w.remove(0));
            if (p.isEmpty()) {
                problems.add(new Problem(s.loc(), "expectation '" + text + "': unknown protocol", form));
                return Optional.empty();
            }
            proto = p.get();
        }
        if (!w.isEmpty()) {
            String ps = w.remove(0);
            if (!ps.matches("[0-9]{1,5}") || !isPort(Integer.parseInt(ps))) {
                problems.add(new Problem(s.loc(), "expectation '" + text + "': bad port '" + ps + "'", "a port is " + PORTS));
                return Optional.empty();
            }
            port = OptionalInt.of(Integer.parseInt(ps));
        }
        if (!w.isEmpty()) {
            problems.add(new Problem(s.loc(), "expectation '" + text + "': unexpected '" + String.join(" ", w) + "'", form));
            return Optional.empty();
        }
        if (!KernelNames.NODE_NAME.matcher(from).matches()) {
            problems.add(new Problem(s.loc(), "expectation '" + text + "': '" + from + "' is not a node name", form));
            return Optional.empty();
        }
        if (!portRule(proto, port, s.loc(), "expectation '" + text + "'")) return Optional.empty();
        if (measure.isPresent() && !measureRule(measure.get(), proto, reach, s.loc(), "expectation '" + text + "'")) return Optional.empty();
        Optional<Target> target = target(to, s.loc());
        Proto fp = proto;
        OptionalInt fport = port;
        Optional<Measure> fm = measure;
        return target.map(tg -> new Expectation(from, tg, fp, fport, reach, Src.of(s.loc()), fm));
    }
}
