package io.nslab.netlink.nft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nslab.netlink.Errno;
import io.nslab.netlink.route.IpPrefix;
import io.nslab.testing.KernelTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import static io.nslab.netlink.nft.Expr.accept;
import static io.nslab.netlink.nft.Expr.jump;
import static io.nslab.netlink.nft.Expr.masquerade;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * nf_tables over netlink on the real kernel. Runs only inside the test sandbox (its own
 * network namespace, see test/sandbox-java), where the ruleset is the sandbox's
 * own; the {@code nft} binary, when present, is the independent observer.
 */
@KernelTest
class NftKernelTest {
    static final InetAddress C1 = IpPrefix.parseAddress("172.17.0.2");

    /** Checked before each test (not in @BeforeAll) so every skipped test reports the reason. */
    static void preconditions() {
        assumeTrue(System.getenv("NSLAB_IN_SANDBOX") != null,
                "not inside the test sandbox (test/sandbox-java): refusing to change this machine's nftables ruleset");
    }

    Nft nft;
    final List<TableRef> made = new ArrayList<>();

    @BeforeEach
    void open() throws IOException {
        preconditions();
        nft = Nft.open();
    }

    @AfterEach
    void cleanup() throws IOException {
        if (nft == null) return;
        try {
            for (TableRef t : made) nft.deleteTable(t);
        } finally {
            nft.close();
        }
    }

    TableRef fresh(Family f, String prefix) {
        TableRef t = new TableRef(f, prefix + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24)));
        made.add(t);
        return t;
    }

    // ------------------------------------------------------------------ observer: the nft binary

    static Optional<Path> nftBinary() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "nft");
            if (Files.isExecutable(p)) return Optional.of(p);
        }
        for (String p : List.of("/usr/sbin/nft", "/sbin/nft")) if (Files.isExecutable(Path.of(p))) return Optional.of(Path.of(p));
        return Optional.empty();
    }

    static String observe(String... args) throws IOException, InterruptedException {
        Path bin = nftBinary().orElseThrow();
        List<String> cmd = new ArrayList<>();
        cmd.add(bin.toString());
        cmd.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("%s exit status, output: %s", cmd, out).isZero();
        return out;
    }

    /** The observer's listing without the metainfo element (it carries versions only). */
    static JsonNode observeJson(String... args) throws IOException, InterruptedException {
        List<String> a = new ArrayList<>(List.of("-j"));
        a.addAll(Arrays.asList(args));
        return withoutMetainfo(NftJson.parse(observe(a.toArray(String[]::new))));
    }

    static JsonNode withoutMetainfo(JsonNode root) {
        ObjectNode copy = root.deepCopy();
        ArrayNode items = (ArrayNode) copy.path("nftables");
        for (int i = items.size() - 1; i >= 0; i--) if (items.get(i).has("metainfo")) items.remove(i);
        return copy;
    }

    static void assumeObserver() {
        assumeTrue(nftBinary().isPresent(), "the nft binary (the independent observer) is not installed");
    }

    // ------------------------------------------------------------------ tests

    @Test
    void tutorialRulesGoInAsOneTransactionAndListBackAsWritten() throws Exception {
        TableRef t = fresh(Family.IP, "nslab-k");
        ChainRef pre = t.chain("prerouting"), out = t.chain("output"), post = t.chain("postrouting"), fwd = t.chain("forward");
        PortMapping web = PortMapping.any(Proto.TCP, 8080, C1, 80);
        PortMapping dns = PortMapping.on(IpPrefix.parseAddress("10.0.0.1"), Proto.UDP, 5353, C1, 53);

        Map<ChainRef, List<Rule>> rules = new LinkedHashMap<>();
        rules.put(pre, List.of(Recipes.publish(pre, web), Recipes.publish(pre, dns)));
        rules.put(out, List.of(Recipes.publishLocal(out, web)));
        rules.put(post, List.of(
                Recipes.masqueradeSubnet(post, IpPrefix.parse("172.17.0.0/16"), "docker0").withComment("nslab: masquerade"),
                Recipes.hairpinMasquerade(post, web)));
        List<Rule> fwdRules = new ArrayList<>(Recipes.isolate(fwd, "br-a", "br-b"));
        fwdRules.add(Recipes.acceptReturning(fwd, "docker0").counted());
        fwdRules.add(Recipes.acceptOutbound(fwd, "docker0"));
        fwdRules.add(Recipes.acceptPublished(fwd, "docker0", web));
        fwdRules.add(Recipes.acceptEstablished(fwd));
        rules.put(fwd, fwdRules);

        Transaction.Builder b = Transaction.builder().replaceTable(t)
                .addChain(pre, BaseChain.natPrerouting())
                .addChain(out, BaseChain.natOutput())
                .addChain(post, BaseChain.natPostrouting())
                .addChain(fwd, BaseChain.filterForward(Policy.DROP));
        rules.values().forEach(b::addRules);
        Applied applied = nft.apply(b.build());

        int total = rules.values().stream().mapToInt(List::size).sum();
        assertThat(applied.ruleHandles()).hasSize(total).doesNotHaveDuplicates().allMatch(h -> h > 0);

        Table listed = nft.listTable(t).orElseThrow();
        assertThat(listed.chains()).extracting(Chain::ref).containsExactly(pre, out, post, fwd);
        assertThat(listed.chain("prerouting").orElseThrow().base()).contains(BaseChain.natPrerouting());
        assertThat(listed.chain("output").orElseThrow().base()).contains(BaseChain.natOutput());
        assertThat(listed.chain("postrouting").orElseThrow().base()).contains(BaseChain.natPostrouting());
        assertThat(listed.chain("forward").orElseThrow().base()).contains(BaseChain.filterForward(Policy.DROP));
        for (Map.Entry<ChainRef, List<Rule>> e : rules.entrySet()) {
            assertThat(listed.chain(e.getKey().name()).orElseThrow().ruleContents()).as("rules of %s", e.getKey())
                    .containsExactlyElementsOf(e.getValue());
        }
        List<Long> listedHandles = listed.chains().stream().flatMap(c -> c.rules().stream()).map(ListedRule::handle).toList();
        assertThat(listedHandles).containsExactlyElementsOf(applied.ruleHandles());

        // The independent observer sees the same table, object for object ...
        assumeObserver();
        JsonNode observed = observeJson("list", "table", "ip", t.name());
        assertThat(NftJson.ruleset(observed).table(t)).contains(listed);
        // ... renders the rules as the tutorials write them, and as nslab renders them.
        String text = observe("list", "table", "ip", t.name());
        assertThat(NftText.table(listed)).isEqualTo(text);
        assertThat(nft.listTableText(t)).contains(text);
        List<String> lines = text.lines().map(String::strip).toList();
        assertThat(lines).contains(
                "type nat hook prerouting priority dstnat; policy accept;",
                "type nat hook output priority -100; policy accept;",
                "type nat hook postrouting priority srcnat; policy accept;",
                "type filter hook forward priority filter; policy drop;",
                "fib daddr type local tcp dport 8080 dnat to 172.17.0.2:80",
                "ip daddr 10.0.0.1 udp dport 5353 dnat to 172.17.0.2:53",
                "ip daddr != 127.0.0.0/8 fib daddr type local tcp dport 8080 dnat to 172.17.0.2:80",
                "ip saddr 172.17.0.0/16 oifname != \"docker0\" masquerade comment \"nslab: masquerade\"",
                "ip saddr 172.17.0.2 ip daddr 172.17.0.2 tcp dport 80 masquerade",
                "iifname \"br-a\" oifname \"br-b\" drop",
                "iifname \"br-b\" oifname \"br-a\" drop",
                "oifname \"docker0\" ct state established,related counter packets 0 bytes 0 accept",
                "iifname \"docker0\" oifname != \"docker0\" accept",
                "oifname \"docker0\" ip daddr 172.17.0.2 tcp dport 80 accept",
                "ct state established,related accept");
    }

    @Test
    void inetTableCarriesIpv4AndIpv6Dnat() throws Exception {
        TableRef t = fresh(Family.INET, "nslab-k6");
        ChainRef pre = t.chain("prerouting");
        List<Rule> rules = List.of(
                Recipes.publish(pre, PortMapping.any(Proto.TCP, 8080, C1, 80)),
                Recipes.publish(pre, PortMapping.any(Proto.UDP, 8053, IpPrefix.parseAddress("fd00::2"), 53)),
                Recipes.publish(pre, PortMapping.on(IpPrefix.parseAddress("fd00::1"), Proto.TCP, 9090, IpPrefix.parseAddress("fd00::3"), 80)));
        nft.apply(Transaction.builder().addTable(t).addChain(pre, BaseChain.natPrerouting()).addRules(rules).build());
        assertThat(nft.listTable(t).orElseThrow().chain("prerouting").orElseThrow().ruleContents())
                .containsExactlyElementsOf(rules);
        assumeObserver();
        assertThat(nft.listTableText(t)).contains(observe("list", "table", "inet", t.name()));
        assertThat(NftJson.ruleset(observeJson("list", "table", "inet", t.name())).table(t)).isEqualTo(nft.listTable(t));
    }

    @Test
    void aFailingTransactionChangesNothing() throws Exception {
        TableRef t = fresh(Family.IP, "nslab-k");
        TableRef other = fresh(Family.IP, "nslab-k-other");
        ChainRef post = t.chain("postrouting");
        nft.apply(Transaction.builder().addTable(t).addChain(post, BaseChain.natPostrouting())
                .addRule(Recipes.masqueradeSubnet(post, IpPrefix.parse("10.1.0.0/24"), "br0")).build());
        Ruleset before = nft.listRuleset();
        Optional<JsonNode> observedBefore = nftBinary().isPresent() ? Optional.of(observeJson("list", "ruleset")) : Optional.empty();

        Transaction bad = Transaction.builder()
                .addRule(Recipes.masqueradeSubnet(post, IpPrefix.parse("10.2.0.0/24"), "br1")) // valid
                .addTable(other)                                                             // valid
                .addChain(other.chain("c"))                                                  // valid
                .addRule(Rule.of(post, jump("missing")))                                     // the kernel refuses this
                .build();
        assertThatThrownBy(() -> nft.check(bad)).isInstanceOf(NftException.class)
                .hasMessageContaining("No such file or directory");
        NftException e = org.junit.jupiter.api.Assertions.assertThrows(NftException.class, () -> nft.apply(bad));
        assertThat(e.errno()).isEqualTo(Errno.ENOENT);
        assertThat(e.getMessage()).startsWith("add rule ip " + t.name() + " postrouting failed: ENOENT (No such file or directory)");

        assertThat(nft.listRuleset()).isEqualTo(before);
        assertThat(nft.tableExists(other)).isFalse();
        if (observedBefore.isPresent()) assertThat(observeJson("list", "ruleset")).isEqualTo(observedBefore.get());

        // a dry run of a good transaction also changes nothing
        nft.check(Transaction.builder().addTable(other).addRule(Recipes.masqueradeSubnet(post, IpPrefix.parse("10.3.0.0/24"), "br3")).build());
        assertThat(nft.listRuleset()).isEqualTo(before);
    }

    /**
     * A refused batch must leave nothing on the socket that the next batch
     * could take for its own answers (its ACKs and echoed handles).
     */
    @Test
    void aFailedApplyLeavesTheNextApplysHandlesWhole() throws Exception {
        for (int i = 0; i < 20; i++) {
            TableRef broken = fresh(Family.IP, "nslab-k-bad");
            ChainRef c = broken.chain("c");
            try (Nft other = Nft.open()) {
                assertThatThrownBy(() -> other.apply(Transaction.builder().addTable(broken).addChain(c)
                        .addRule(Rule.of(c, accept())).addRule(Rule.of(c, jump("missing"))).build()))
                        .isInstanceOf(NftException.class);
            }
            assertThatThrownBy(() -> nft.apply(Transaction.builder().addTable(broken).addChain(c)
                    .addRule(Rule.of(c, accept())).addRule(Rule.of(c, jump("missing"))).build()))
                    .isInstanceOf(NftException.class);
            TableRef t = fresh(Family.IP, "nslab-k");
            ChainRef fwd = t.chain("forward");
            List<Rule> rules = List.of(Recipes.dropBetween(fwd, "br-a", "br-b"), Recipes.dropBetween(fwd, "br-b", "br-a"),
                    Recipes.acceptEstablished(fwd), Rule.of(fwd, accept()));
            Applied applied = nft.apply(Transaction.builder().replaceTable(t)
                    .addChain(fwd, BaseChain.filterForward(Policy.ACCEPT)).addRules(rules).build());
            List<Long> listed = nft.listTable(t).orElseThrow().chains().stream()
                    .flatMap(ch -> ch.rules().stream()).map(ListedRule::handle).toList();
            assertThat(applied.ruleHandles()).as("handles echoed by apply %d", i).containsExactlyElementsOf(listed).hasSize(4);
        }
    }

    @Test
    void deleteTableRemovesOnlyTheNamedTable() throws Exception {
        assumeObserver();
        TableRef a = fresh(Family.IP, "nslab-k-a");
        TableRef b = fresh(Family.IP, "nslab-k-b");
        TableRef sameNameOtherFamily = new TableRef(Family.INET, a.name());
        made.add(sameNameOtherFamily);
        for (TableRef t : List.of(a, b)) {
            nft.apply(Transaction.builder().addTable(t).addChain(t.chain("forward"), BaseChain.filterForward(Policy.ACCEPT))
                    .addRule(Recipes.acceptEstablished(t.chain("forward"))).build());
        }
        observe("add", "table", "inet", sameNameOtherFamily.name()); // made by someone else
        List<TableRef> before = nft.listTables();

        nft.deleteTable(a);

        List<TableRef> expected = new ArrayList<>(before);
        expected.remove(a);
        assertThat(nft.listTables()).containsExactlyElementsOf(expected);
        assertThat(NftJson.ruleset(observeJson("list", "tables")).tableRefs()).containsExactlyElementsOf(expected);
        assertThat(nft.listTable(b).orElseThrow().chain("forward").orElseThrow().rules()).hasSize(1);
        assertThat(nft.tableExists(sameNameOtherFamily)).isTrue();
        assertThat(nft.listTable(a)).isEmpty();

        nft.deleteTable(a); // already gone: tolerated
        nft.deleteTable(Family.IP, "nslab-never-existed");
        assertThat(nft.listTables()).containsExactlyElementsOf(expected);
    }

    @Test
    void kernelRefusalsNameTheCommandAndKeepTheErrno() throws Exception {
        ChainRef missing = TableRef.ip("nslab-no-such-table").chain("c");
        assertThatThrownBy(() -> nft.apply(Transaction.builder().addRule(Rule.of(missing, accept())).build()))
                .isInstanceOfSatisfying(NftException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Errno.ENOENT);
                    assertThat(e.getMessage()).startsWith("add rule ip nslab-no-such-table c failed: ENOENT (No such file or directory)");
                });

        // a kernel refusal of a typed rule: masquerade is only valid in nat chains
        TableRef t = fresh(Family.IP, "nslab-k");
        ChainRef fwd = t.chain("forward");
        assertThatThrownBy(() -> nft.apply(Transaction.builder().addTable(t)
                .addChain(fwd, BaseChain.filterForward(Policy.ACCEPT)).addRule(Rule.of(fwd, masquerade())).build()))
                .isInstanceOfSatisfying(NftException.class, e -> assertThat(e.getMessage()).startsWith("add rule ip " + t.name() + " forward failed: "));
        assertThat(nft.tableExists(t)).isFalse();
    }

    @Test
    void ruleHandlesDeleteSingleRules() throws Exception {
        TableRef t = fresh(Family.IP, "nslab-k");
        ChainRef fwd = t.chain("forward");
        List<Rule> rules = List.of(Recipes.dropBetween(fwd, "br-a", "br-b"), Recipes.dropBetween(fwd, "br-b", "br-c"),
                Rule.of(fwd, accept()));
        Applied applied = nft.apply(Transaction.builder().addTable(t)
                .addChain(fwd, BaseChain.filterForward(Policy.ACCEPT)).addRules(rules).build());
        nft.apply(Transaction.builder().deleteRule(fwd, applied.ruleHandles().get(1)).build());
        assertThat(nft.listTable(t).orElseThrow().chain("forward").orElseThrow().ruleContents())
                .containsExactly(rules.get(0), rules.get(2));
    }

    @Test
    void replaceTableStartsFromEmptyAtomically() throws Exception {
        TableRef t = fresh(Family.IP, "nslab-k");
        ChainRef post = t.chain("postrouting");
        Rule first = Recipes.masqueradeSubnet(post, IpPrefix.parse("10.9.0.0/24"), "br9");
        Rule second = Recipes.masqueradeSubnet(post, IpPrefix.parse("10.8.0.0/24"), "br8");
        for (Rule r : List.of(first, second)) {
            nft.apply(Transaction.builder().replaceTable(t).addChain(post, BaseChain.natPostrouting()).addRule(r).build());
        }
        assertThat(nft.listTable(t).orElseThrow().chain("postrouting").orElseThrow().ruleContents()).containsExactly(second);
    }

    @Test
    void listingsFindTablesAndOnlyThem() throws Exception {
        TableRef t = fresh(Family.IP, "nslab-k");
        nft.apply(Transaction.builder().addTable(t).build());
        assertThat(nft.tableExists(t)).isTrue();
        assertThat(nft.listRuleset().tableRefs()).contains(t);
        assertThat(nft.listTable(Family.IP, "nslab-k-absent")).isEmpty();
        assertThat(nft.tableExists(Family.IP, "nslab-k-absent")).isFalse();
    }

    @Test
    void networkRecipesRoundTripAndReadAsNftWritesThem() throws Exception {
        TableRef t = fresh(Family.IP, "nslab-net");
        ChainRef post = t.chain("postrouting"), fwd = t.chain("forward");
        IpPrefix subnet = IpPrefix.parse("172.17.0.0/16");
        List<Rule> postRules = List.of(Recipes.hairpinSubnet(post, "docker0", subnet));
        List<Rule> fwdRules = List.of(Recipes.acceptPublishedInto(fwd, "docker0"), Recipes.dropInto(fwd, "docker0"),
                Recipes.dropOutbound(fwd, "docker0"));
        nft.apply(Transaction.builder().replaceTable(t)
                .addChain(post, BaseChain.natPostrouting())
                .addChain(fwd, BaseChain.filterForward(Policy.ACCEPT))
                .addRules(postRules).addRules(fwdRules).build());
        Table listed = nft.listTable(t).orElseThrow();
        assertThat(listed.chain("postrouting").orElseThrow().ruleContents()).containsExactlyElementsOf(postRules);
        assertThat(listed.chain("forward").orElseThrow().ruleContents()).containsExactlyElementsOf(fwdRules);
        assumeObserver();
        List<String> lines = observe("list", "table", "ip", t.name()).lines().map(String::strip).toList();
        assertThat(lines).contains(
                "oifname \"docker0\" ip saddr 172.17.0.0/16 ct status dnat masquerade",
                "oifname \"docker0\" iifname != \"docker0\" ct status dnat accept",
                "oifname \"docker0\" iifname != \"docker0\" drop",
                "iifname \"docker0\" oifname != \"docker0\" drop");
    }

    @Test
    void conntrackFlushIsAcceptedByTheKernel() throws Exception {
        // nothing to match in a fresh namespace: the kernel still parses and acks the filtered delete
        Conntrack.flush(new ConntrackFlush(false, Proto.UDP, 8080, Optional.empty()));
        Conntrack.flush(new ConntrackFlush(false, Proto.UDP, 8080, Optional.of(IpPrefix.parseAddress("10.0.0.1"))));
    }

    @Test
    void conntrackFlushRequestMatchesTheDocumentedGoldenBytes() {
        byte[] body = Conntrack.flushRequest(new ConntrackFlush(false, Proto.UDP, 8080, Optional.empty())).body();
        // the 56-byte vector of ConntrackFlush's javadoc minus its 16-byte nlmsghdr
        String hex = "02000000" + "18000180" + "14000280" + "0500010011000000" + "060003001f900000" + "0c001980" + "0800010028000000";
        assertThat(HexFormat.of().formatHex(body)).isEqualTo(hex);
    }

    @Test
    void publishedPortsLiveInMapsChangedByElement() throws Exception {
        TableRef t = fresh(Family.IP, "nslab-net");
        ChainRef pre = t.chain("prerouting");
        SetRef addr = t.set("pub-addr"), port = t.set("pub-port");
        List<String> key = List.of("inet_proto", "inet_service");
        nft.apply(Transaction.builder().replaceTable(t).addChain(pre, BaseChain.natPrerouting())
                .addMap(addr, key, "ipv4_addr").addMap(port, key, "inet_service")
                .addRule(Rule.of(pre, Expr.fibDaddrLocal(), new Expr.DnatMap(false,
                        List.of(new Expr.Meta("l4proto"), new Expr.Payload("th", "dport")), "pub-addr", "pub-port")))
                .build());
        List<Expr.Value> k1 = List.of(new Expr.Str("tcp"), new Expr.Num(8080)), k2 = List.of(new Expr.Str("udp"), new Expr.Num(5353));
        nft.applyQuiet(Transaction.builder()
                .addElements(addr, List.of(new MapElement(k1, new Expr.Address(IpPrefix.host(C1))),
                        new MapElement(k2, new Expr.Address(IpPrefix.parse("172.17.0.3/32")))))
                .addElements(port, List.of(new MapElement(k1, new Expr.Num(80)), new MapElement(k2, new Expr.Num(53))))
                .build());
        nft.applyQuiet(Transaction.builder().deleteElements(addr, List.of(k2)).deleteElements(port, List.of(k2)).build());
        // deleting an absent element refuses the whole transaction: nothing changed
        assertThatThrownBy(() -> nft.applyQuiet(Transaction.builder().deleteElements(addr, List.of(k1, k2)).build()))
                .isInstanceOf(NftException.class);
        assumeObserver();
        String listed = observe("list", "table", "ip", t.name());
        assertThat(nft.listTableText(t)).contains(listed);
        assertThat(listed).contains("fib daddr type local dnat to meta l4proto . th dport map @pub-addr:meta l4proto . th dport map @pub-port",
                "elements = { tcp . 8080 : 172.17.0.2 }", "elements = { tcp . 8080 : 80 }").doesNotContain("5353");
    }
}
