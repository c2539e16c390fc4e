package io.nslab.netlink.nft;

import io.nslab.netlink.NlRequest;
import io.nslab.netlink.nft.wire.NftDumps;
import io.nslab.netlink.nft.wire.NftMessages.SetDecl;
import io.nslab.netlink.nft.wire.NftMessages;
import io.nslab.netlink.nft.wire.SetTypes;
import io.nslab.netlink.route.IpPrefix;
import io.nslab.netlink.wire.Attr;
import io.nslab.netlink.wire.Attrs;
import io.nslab.netlink.wire.Netlink;
import io.nslab.netlink.wire.NlMessage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static io.nslab.netlink.nft.Expr.*;
import static io.nslab.netlink.nft.wire.NftConst.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every statement nslab emits, against what {@code nft -f} sent for the same
 * statement (golden/nft/, captured by test/capture-nft-golden), both ways:
 * nslab's message has nft's bytes (its nlmsg flags apart from NLM_F_ACK,
 * which nslab adds to know when the kernel is done; and without the set ids
 * nft puts in element changes and lookups of sets it did not create in the
 * same batch: they number nft's own cache, and the kernel reads them only
 * for a set of the same batch), and nft's message, and
 * the kernel's own listing of it, decode into the command's model. No kernel needed.
 */
class NftGoldenTest {
    static final TableRef IP = TableRef.ip("t"), IP6 = TableRef.ip6("t"), INET = TableRef.inet("t");
    static final List<String> ANY = List.of("inet_proto", "inet_service");
    static final List<String> ON_IP = List.of("ipv4_addr", "inet_proto", "inet_service");
    static final List<String> ON_IP6 = List.of("ipv6_addr", "inet_proto", "inet_service");

    static InetAddress a(String s) { return IpPrefix.parseAddress(s); }
    static Address addr(String s) { return new Address(IpPrefix.parse(s)); }
    static Rule rule(TableRef t, String chain, Expr... e) { return Rule.of(t.chain(chain), e); }
    static List<Value> key(Value... v) { return Arrays.asList(v); }
    static Str s(String v) { return new Str(v); }
    static Num n(long v) { return new Num(v); }

    static final List<Selector> ANY_KEY = List.of(new Meta("l4proto"), new Payload("th", "dport"));
    static final Map<String, Command> CASES = new LinkedHashMap<>();

    static {
        CASES.put("table-add-ip", new Command.AddTable(IP));
        CASES.put("table-add-ip6", new Command.AddTable(IP6));
        CASES.put("table-add-inet", new Command.AddTable(INET));
        CASES.put("table-delete-ip", new Command.DeleteTable(IP));
        CASES.put("table-flush-ip", new Command.FlushTable(IP));
        CASES.put("chain-add-filter-forward-accept", new Command.AddChain(IP.chain("forward"), Optional.of(BaseChain.filterForward(Policy.ACCEPT))));
        CASES.put("chain-add-filter-forward-drop", new Command.AddChain(IP.chain("forward"), Optional.of(BaseChain.filterForward(Policy.DROP))));
        CASES.put("chain-add-filter-input-accept", new Command.AddChain(IP.chain("in"), Optional.of(BaseChain.filterInput(Policy.ACCEPT))));
        CASES.put("chain-add-nat-output", new Command.AddChain(IP.chain("out"), Optional.of(BaseChain.natOutput())));
        CASES.put("chain-add-nat-postrouting", new Command.AddChain(IP.chain("post"), Optional.of(BaseChain.natPostrouting())));
        CASES.put("chain-add-nat-prerouting", new Command.AddChain(IP.chain("pre"), Optional.of(BaseChain.natPrerouting())));
        CASES.put("chain-add-regular", new Command.AddChain(IP.chain("c"), Optional.empty()));
        CASES.put("chain-delete", new Command.DeleteChain(IP.chain("c")));
        CASES.put("chain-flush", new Command.FlushChain(IP.chain("c")));
        CASES.put("map-add-pub-addr", new Command.AddMap(IP.set("pub-addr"), ANY, "ipv4_addr"));
        CASES.put("map-add-pub-port", new Command.AddMap(IP.set("pub-port"), ANY, "inet_service"));
        CASES.put("map-add-pubip-addr", new Command.AddMap(IP.set("pubip-addr"), ON_IP, "ipv4_addr"));
        CASES.put("map-add-pubip-port", new Command.AddMap(IP.set("pubip-port"), ON_IP, "inet_service"));
        CASES.put("map-add-ip6-pub-addr", new Command.AddMap(IP6.set("pub-addr"), ANY, "ipv6_addr"));
        CASES.put("map-add-ip6-pub-port", new Command.AddMap(IP6.set("pub-port"), ANY, "inet_service"));
        CASES.put("map-add-ip6-pubip-addr", new Command.AddMap(IP6.set("pubip-addr"), ON_IP6, "ipv6_addr"));
        CASES.put("map-add-ip6-pubip-port", new Command.AddMap(IP6.set("pubip-port"), ON_IP6, "inet_service"));
        CASES.put("map-flush-pub-addr", new Command.FlushMap(IP.set("pub-addr")));
        CASES.put("elem-add-pub-addr", new Command.AddElements(IP.set("pub-addr"), List.of(new MapElement(key(s("tcp"), n(8080)), addr("172.17.0.2")))));
        CASES.put("elem-add-pub-addr-two", new Command.AddElements(IP.set("pub-addr"), List.of(
                new MapElement(key(s("tcp"), n(8080)), addr("172.17.0.2")), new MapElement(key(s("udp"), n(53)), addr("172.17.0.3")))));
        CASES.put("elem-add-pub-port", new Command.AddElements(IP.set("pub-port"), List.of(new MapElement(key(s("tcp"), n(8080)), n(80)))));
        CASES.put("elem-add-pubip-addr", new Command.AddElements(IP.set("pubip-addr"), List.of(new MapElement(key(addr("127.0.0.1"), s("tcp"), n(8080)), addr("172.17.0.2")))));
        CASES.put("elem-add-pubip-port", new Command.AddElements(IP.set("pubip-port"), List.of(new MapElement(key(addr("127.0.0.1"), s("tcp"), n(8080)), n(80)))));
        CASES.put("elem-add-ip6-pub-addr", new Command.AddElements(IP6.set("pub-addr"), List.of(new MapElement(key(s("tcp"), n(8080)), addr("fd00::2")))));
        CASES.put("elem-add-ip6-pub-port", new Command.AddElements(IP6.set("pub-port"), List.of(new MapElement(key(s("tcp"), n(8080)), n(80)))));
        CASES.put("elem-add-ip6-pubip-addr", new Command.AddElements(IP6.set("pubip-addr"), List.of(new MapElement(key(addr("::1"), s("tcp"), n(8080)), addr("fd00::2")))));
        CASES.put("elem-add-ip6-pubip-port", new Command.AddElements(IP6.set("pubip-port"), List.of(new MapElement(key(addr("::1"), s("tcp"), n(8080)), n(80)))));
        CASES.put("elem-delete-pub-addr", new Command.DeleteElements(IP.set("pub-addr"), List.of(key(s("tcp"), n(8080)))));

        PortMapping web = PortMapping.any(Proto.TCP, 8080, a("172.17.0.2"), 80);
        ChainRef fwd = IP.chain("forward"), post = IP.chain("post"), pre = IP.chain("pre"), out = IP.chain("out");
        IpPrefix docker = IpPrefix.parse("172.17.0.0/16");
        rules("rule-accept-ct-established", Recipes.acceptEstablished(fwd));
        rules("rule-accept-iif-not-oif", Recipes.acceptOutbound(fwd, "docker0"));
        rules("rule-accept-iif-oif", Recipes.acceptForward(fwd, "docker0", "eth0"));
        rules("rule-accept-oif-ct-established", Recipes.acceptReturning(fwd, "docker0"));
        rules("rule-accept-oif-daddr-dport", Recipes.acceptPublished(fwd, "docker0", web));
        rules("rule-accept-oif-not-iif-ct-dnat", Recipes.acceptPublishedInto(fwd, "docker0"));
        rules("rule-dnat-addr-only", rule(IP, "pre", daddr(a("10.0.0.1")), dnat(a("172.17.0.2"))));
        rules("rule-dnat-daddr-tcp", Recipes.publish(pre, PortMapping.on(a("192.168.1.5"), Proto.TCP, 8080, a("172.17.0.2"), 80)));
        rules("rule-dnat-fib-local-tcp", Recipes.publish(pre, web));
        rules("rule-dnat-iif-fib-local-udp", rule(IP, "pre", iifname("eth0"), fibDaddrLocal(), dport(Proto.UDP, 53), dnat(a("172.17.0.3"), 5353)));
        rules("rule-dnat-map-fib-local", rule(IP, "pre", fibDaddrLocal(), new DnatMap(false, ANY_KEY, "pub-addr", "pub-port")));
        rules("rule-dnat-map-output-not-loopback", rule(IP, "out", daddr(IpPrefix.parse("127.0.0.0/8")).negate(), fibDaddrLocal(),
                new DnatMap(false, ANY_KEY, "pub-addr", "pub-port")));
        rules("rule-dnat-map-pubip", rule(IP, "pre", new DnatMap(false, List.of(new Payload("ip", "daddr"), new Meta("l4proto"),
                new Payload("th", "dport")), "pubip-addr", "pubip-port")));
        rules("rule-dnat-output-not-loopback-fib-local", Recipes.publishLocal(out, web));
        rules("rule-drop-iif-not-oif", Recipes.dropOutbound(fwd, "docker0"));
        rules("rule-drop-iif-oif", Recipes.dropBetween(fwd, "br-a", "br-b"));
        rules("rule-drop-oif-not-iif", Recipes.dropInto(fwd, "docker0"));
        rules("rule-drop", rule(IP, "forward", drop()));
        rules("rule-goto", rule(IP, "forward", goTo("c")));
        rules("rule-jump", rule(IP, "forward", jump("c")));
        rules("rule-return", rule(IP, "c", ret()));
        rules("rule-inet-nfproto-accept", rule(INET, "forward", nfproto(false), accept()));
        rules("rule-inet-saddr-accept", rule(INET, "forward", saddr(IpPrefix.parse("10.0.0.0/8")), accept()));
        rules("rule-inet-tcp-dport-accept", rule(INET, "forward", dport(Proto.TCP, 22), accept()));
        rules("rule-ip6-dnat-map-pubip", rule(IP6, "pre", new DnatMap(true, List.of(new Payload("ip6", "daddr"), new Meta("l4proto"),
                new Payload("th", "dport")), "pubip-addr", "pubip-port")));
        rules("rule-ip6-dnat-not-loopback-fib-local", Recipes.publishLocal(IP6.chain("out"), PortMapping.any(Proto.TCP, 8080, a("fd00::2"), 80)));
        rules("rule-ip6-masq-subnet-not-oif", Recipes.masqueradeSubnet(IP6.chain("post"), IpPrefix.parse("fd00::/64"), "br0"));
        rules("rule-l4proto-tcp-accept", rule(IP, "forward", l4proto(Proto.TCP), accept()));
        rules("rule-masq-comment", rule(IP, "post", saddr(IpPrefix.parse("10.0.0.0/24")), masquerade()).withComment("nslab"));
        rules("rule-masq-counter", rule(IP, "post", saddr(IpPrefix.parse("10.0.0.0/24")), masquerade()).counted());
        rules("rule-masq-hairpin", Recipes.hairpinMasquerade(post, web));
        rules("rule-masq-oif-loopback", rule(IP, "post", oifname("docker0"), saddr(IpPrefix.parse("127.0.0.0/8")), masquerade()));
        rules("rule-masq-oif-subnet-ct-dnat", Recipes.hairpinSubnet(post, "docker0", docker));
        rules("rule-masq-subnet-not-oif", Recipes.masqueradeSubnet(post, docker, "docker0"));
        rules("rule-masq-subnet-oif", Recipes.masqueradeSubnetVia(post, docker, "eth0"));
        rules("rule-masq-subnet24", rule(IP, "post", saddr(IpPrefix.parse("10.0.0.0/24")), masquerade()));
        rules("rule-snat-port", rule(IP, "post", dport(Proto.TCP, 80), snat(a("192.168.1.1"), 8080)));
        rules("rule-snat-subnet", rule(IP, "post", saddr(IpPrefix.parse("10.0.0.0/24")), snat(a("192.168.1.1"))));
        rules("rule-tcp-sport-accept", rule(IP, "forward", sport(Proto.TCP, 80), accept()));
        rules("rule-udp-dport-accept", rule(IP, "forward", dport(Proto.UDP, 53), accept()));
    }

    static void rules(String name, Rule r) {
        CASES.put(name, new Command.AddRule(r));
    }

    /** The maps the element cases change, as the fixtures' setup declares them. */
    static Optional<SetDecl> types(SetRef m) {
        boolean v6 = m.table().family() == Family.IP6;
        List<SetTypes.Type> key = SetTypes.parseAll(m.name().startsWith("pubip") ? (v6 ? ON_IP6 : ON_IP) : ANY);
        String data = m.name().endsWith("port") ? "inet_service" : v6 ? "ipv6_addr" : "ipv4_addr";
        return Optional.of(new SetDecl(key, Optional.of(List.of(SetTypes.parse(data)))));
    }

    static Stream<Arguments> cases() {
        return CASES.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    static NlMessage golden(String name) {
        List<NftGolden.Msg> batch = NftGolden.read(name + ".txt").messages().stream()
                .filter(m -> m.section().startsWith("request batch")).toList();
        assertThat(batch).as("%s: BATCH_BEGIN, one message, BATCH_END", name).hasSize(3);
        return batch.get(1).message();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void encodesAsNftDoes(String name, Command c) {
        NlMessage g = golden(name);
        NlRequest r = NftMessages.command(c, 1, NftGoldenTest::types);
        assertThat(r.type()).isEqualTo(g.type());
        assertThat(r.flags() | Netlink.NLM_F_REQUEST).as("nlmsg flags").isEqualTo(g.flags() & ~Netlink.NLM_F_ACK);
        String golden = tree(g.payload(), g.type()), withIds = tree(g.payload(), -1);
        assertThat(tree(r.body(), -1)).isEqualTo(golden);
        if (golden.equals(withIds)) {
            assertThat(HexFormat.of().formatHex(r.body())).isEqualTo(HexFormat.of().formatHex(g.payload()));
        }
    }

    /** The attributes after nfgenmsg, one per line, nested ones indented: a readable diff when the bytes differ. */
    static String tree(byte[] body, int dropSetIdsOf) {
        StringBuilder b = new StringBuilder(HexFormat.of().formatHex(body, 0, 4)).append('\n');
        boolean elements = dropSetIdsOf == type(NFT_MSG_NEWSETELEM) || dropSetIdsOf == type(NFT_MSG_DELSETELEM);
        tree(Attrs.parse(body, 4, body.length - 4), "", b, elements ? 4 : -1, dropSetIdsOf == type(NFT_MSG_NEWRULE));
        return b.toString();
    }

    /** {@code drop}: an attribute kind left out at this level; {@code lookups}: leave NFTA_LOOKUP_SET_ID out of lookups. */
    private static void tree(Attrs a, String indent, StringBuilder b, int drop, boolean lookups) {
        boolean lookup = lookups && a.string(NFTA_EXPR_NAME).filter("lookup"::equals).isPresent();
        for (Attr x : a.list()) {
            if (x.kind() == drop) continue;
            if (lookup && x.kind() == NFTA_EXPR_DATA) {
                b.append(indent).append(x.kind()).append(" {\n");
                tree(x.nested(), indent + "  ", b, 4, false);
                b.append(indent).append("}\n");
                continue;
            }
            b.append(indent).append(x.kind());
            if (x.nestedFlag()) {
                b.append(" {\n");
                tree(x.nested(), indent + "  ", b, -1, lookups);
                b.append(indent).append("}\n");
            } else {
                b.append(' ').append(HexFormat.of().formatHex(x.bytes())).append('\n');
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decodesNftsRequestAndTheKernelsListing(String name, Command c) {
        NftGolden file = NftGolden.read(name + ".txt");
        NlMessage g = golden(name);
        switch (c) {
            case Command.AddRule(Rule r) -> {
                assertThat(NftDumps.rule(g).orElseThrow().lift().rule()).isEqualTo(r);
                List<NftGolden.Msg> dump = file.of("kernel dump", type(NFT_MSG_NEWRULE));
                assertThat(dump).as("the kernel's listing of the rule").hasSize(1);
                NftDumps.KernelRule listed = NftDumps.rule(dump.getFirst().message()).orElseThrow();
                assertThat(listed.handle()).isPositive();
                assertThat(listed.lift().rule()).isEqualTo(r);
            }
            case Command.AddChain(ChainRef ch, Optional<BaseChain> base) -> {
                NftDumps.ListedChain l = NftDumps.chain(g).orElseThrow();
                assertThat(l.ref()).isEqualTo(ch);
                assertThat(l.base()).isEqualTo(base);
            }
            case Command.AddMap(SetRef m, List<String> keyType, String dataType) -> {
                NftDumps.ListedSet l = NftDumps.set(g).orElseThrow();
                assertThat(l.ref()).isEqualTo(m);
                assertThat(l.decl()).isEqualTo(types(m));
            }
            case Command.AddElements(SetRef m, List<MapElement> elements) ->
                    assertThat(NftDumps.elements(g, types(m).orElseThrow())).isEqualTo(elements);
            case Command.AddTable(TableRef t) -> assertThat(NftDumps.table(g).orElseThrow().ref()).isEqualTo(t);
            default -> { }
        }
    }
}
