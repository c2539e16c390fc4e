package io.nslab.netlink.nft;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

import static io.nslab.netlink.nft.Expr.accept;
import static io.nslab.netlink.nft.Expr.counter;
import static io.nslab.netlink.nft.Expr.dnat;
import static io.nslab.netlink.nft.Expr.dport;
import static io.nslab.netlink.nft.Expr.masquerade;
import static io.nslab.netlink.nft.Expr.oifname;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The JSON shapes, both ways, without a kernel. */
class NftJsonTest {
    static final TableRef T = TableRef.ip("nslab-test");
    static final ChainRef PRE = T.chain("prerouting");
    static final ChainRef POST = T.chain("postrouting");
    static final ChainRef FWD = T.chain("forward");
    static final InetAddress C1 = Prefix.literal("172.17.0.2");

    static JsonNode json(String s) {
        return NftJson.parse(s);
    }

    static JsonNode encode(Rule r) {
        return NftJson.command(new Command.AddRule(r));
    }

    @Test
    void masqueradeOfASubnetLeavingByAnotherInterface() {
        Rule r = Recipes.masqueradeSubnet(POST, Prefix.parse("172.17.0.0/16"), "docker0");
        assertThat(encode(r)).isEqualTo(json("""
            {"add":{"rule":{"family":"ip","table":"nslab-test","chain":"postrouting","expr":[
              {"match":{"op":"==","left":{"payload":{"protocol":"ip","field":"saddr"}},
                        "right":{"prefix":{"addr":"172.17.0.0","len":16}}}},
              {"match":{"op":"!=","left":{"meta":{"key":"oifname"}},"right":"docker0"}},
              {"masquerade":null}]}}}"""));
    }

    @Test
    void forwardRules() {
        assertThat(NftJson.rule(Recipes.acceptOutbound(FWD, "docker0")).get("expr")).isEqualTo(json("""
            [{"match":{"op":"==","left":{"meta":{"key":"iifname"}},"right":"docker0"}},
             {"match":{"op":"!=","left":{"meta":{"key":"oifname"}},"right":"docker0"}},
             {"accept":null}]"""));
        assertThat(NftJson.rule(Recipes.acceptReturning(FWD, "docker0")).get("expr")).isEqualTo(json("""
            [{"match":{"op":"==","left":{"meta":{"key":"oifname"}},"right":"docker0"}},
             {"match":{"op":"in","left":{"ct":{"key":"state"}},"right":["established","related"]}},
             {"accept":null}]"""));
        assertThat(Recipes.isolate(FWD, "br-a", "br-b")).extracting(r -> NftJson.rule(r).get("expr")).containsExactly(
                json("""
                    [{"match":{"op":"==","left":{"meta":{"key":"iifname"}},"right":"br-a"}},
                     {"match":{"op":"==","left":{"meta":{"key":"oifname"}},"right":"br-b"}},{"drop":null}]"""),
                json("""
                    [{"match":{"op":"==","left":{"meta":{"key":"iifname"}},"right":"br-b"}},
                     {"match":{"op":"==","left":{"meta":{"key":"oifname"}},"right":"br-a"}},{"drop":null}]"""));
    }

    @Test
    void publishedPortOnEveryHostAddressUsesFib() {
        Rule r = Recipes.publish(PRE, PortMapping.any(Proto.TCP, 8080, C1, 80));
        assertThat(NftJson.rule(r).get("expr")).isEqualTo(json("""
            [{"match":{"op":"==","left":{"fib":{"result":"type","flags":["daddr"]}},"right":"local"}},
             {"match":{"op":"==","left":{"payload":{"protocol":"tcp","field":"dport"}},"right":8080}},
             {"dnat":{"family":"ip","addr":"172.17.0.2","port":80}}]"""));
    }

    @Test
    void publishedUdpPortOnOneHostAddress() {
        Rule r = Recipes.publish(PRE, PortMapping.on(Prefix.literal("10.0.0.1"), Proto.UDP, 5353, C1, 53));
        assertThat(NftJson.rule(r).get("expr")).isEqualTo(json("""
            [{"match":{"op":"==","left":{"payload":{"protocol":"ip","field":"daddr"}},"right":"10.0.0.1"}},
             {"match":{"op":"==","left":{"payload":{"protocol":"udp","field":"dport"}},"right":5353}},
             {"dnat":{"family":"ip","addr":"172.17.0.2","port":53}}]"""));
    }

    @Test
    void publishLocalExcludesLoopbackAndHairpinMasquerades() {
        PortMapping m = PortMapping.any(Proto.TCP, 8080, C1, 80);
        assertThat(NftJson.rule(Recipes.publishLocal(T.chain("output"), m)).get("expr").get(0)).isEqualTo(json("""
            {"match":{"op":"!=","left":{"payload":{"protocol":"ip","field":"daddr"}},
                      "right":{"prefix":{"addr":"127.0.0.0","len":8}}}}"""));
        assertThat(NftJson.rule(Recipes.hairpinMasquerade(POST, m)).get("expr")).isEqualTo(json("""
            [{"match":{"op":"==","left":{"payload":{"protocol":"ip","field":"saddr"}},"right":"172.17.0.2"}},
             {"match":{"op":"==","left":{"payload":{"protocol":"ip","field":"daddr"}},"right":"172.17.0.2"}},
             {"match":{"op":"==","left":{"payload":{"protocol":"tcp","field":"dport"}},"right":80}},
             {"masquerade":null}]"""));
    }

    @Test
    void counterGoesBeforeTheTerminalStatementAndCommentIsKept() {
        Rule r = Recipes.acceptEstablished(FWD).counted().withComment("nslab: replies");
        JsonNode o = NftJson.rule(r);
        assertThat(o.get("expr").get(1)).isEqualTo(json("{\"counter\":null}"));
        assertThat(o.get("expr").get(2)).isEqualTo(json("{\"accept\":null}"));
        assertThat(o.get("comment").asText()).isEqualTo("nslab: replies");
        assertThat(r.counted()).isEqualTo(r);
    }

    @Test
    void baseChainAndTableCommands() {
        Transaction tx = Transaction.builder()
                .replaceTable(T)
                .addChain(PRE, BaseChain.natPrerouting())
                .addChain(T.chain("published"))
                .build();
        assertThat(NftJson.batch(tx)).isEqualTo(json("""
            {"nftables":[
              {"add":{"table":{"family":"ip","name":"nslab-test"}}},
              {"delete":{"table":{"family":"ip","name":"nslab-test"}}},
              {"add":{"table":{"family":"ip","name":"nslab-test"}}},
              {"add":{"chain":{"family":"ip","table":"nslab-test","name":"prerouting",
                               "type":"nat","hook":"prerouting","prio":-100,"policy":"accept"}}},
              {"add":{"chain":{"family":"ip","table":"nslab-test","name":"published"}}}]}"""));
        assertThat(tx.tables()).containsExactly(T);
        assertThat(NftJson.command(new Command.DeleteRule(FWD, 7))).isEqualTo(json("""
            {"delete":{"rule":{"family":"ip","table":"nslab-test","chain":"forward","handle":7}}}"""));
    }

    @Test
    void listedRulesDecodeToTheRecordsThatMadeThem() {
        // As printed by nft 1.0.6 for the rules above (handles, counters, ip-table dnat without family).
        JsonNode listing = json("""
            {"nftables":[{"metainfo":{"version":"1.0.6","json_schema_version":1}},
             {"table":{"family":"ip","name":"nslab-test","handle":3}},
             {"chain":{"family":"ip","table":"nslab-test","name":"prerouting","handle":1,
                       "type":"nat","hook":"prerouting","prio":-100,"policy":"accept"}},
             {"chain":{"family":"ip","table":"nslab-test","name":"postrouting","handle":2,
                       "type":"nat","hook":"postrouting","prio":100,"policy":"accept"}},
             {"rule":{"family":"ip","table":"nslab-test","chain":"prerouting","handle":4,"expr":[
               {"match":{"op":"==","left":{"fib":{"result":"type","flags":["daddr"]}},"right":"local"}},
               {"match":{"op":"==","left":{"payload":{"protocol":"tcp","field":"dport"}},"right":8080}},
               {"counter":{"packets":0,"bytes":0}},
               {"dnat":{"addr":"172.17.0.2","port":80}}]}},
             {"rule":{"family":"ip","table":"nslab-test","chain":"postrouting","handle":5,"comment":"m","expr":[
               {"match":{"op":"==","left":{"payload":{"protocol":"ip","field":"saddr"}},
                         "right":{"prefix":{"addr":"172.17.0.0","len":16}}}},
               {"match":{"op":"!=","left":{"meta":{"key":"oifname"}},"right":"docker0"}},
               {"masquerade":null}]}},
             {"set":{"family":"ip","name":"s","table":"nslab-test","type":"ipv4_addr","handle":6}}]}""");
        Ruleset rs = NftJson.ruleset(listing);
        Table t = rs.table(T).orElseThrow();
        assertThat(t.handle()).isEqualTo(3);
        assertThat(t.chain("prerouting").orElseThrow().base()).contains(BaseChain.natPrerouting());
        assertThat(t.chain("postrouting").orElseThrow().base()).contains(BaseChain.natPostrouting());
        assertThat(t.chain("prerouting").orElseThrow().rules()).containsExactly(new ListedRule(4,
                Recipes.publish(PRE, PortMapping.any(Proto.TCP, 8080, C1, 80)).counted()));
        assertThat(t.chain("postrouting").orElseThrow().ruleContents()).containsExactly(
                Recipes.masqueradeSubnet(POST, Prefix.parse("172.17.0.0/16"), "docker0").withComment("m"));
        assertThat(t.otherObjects()).hasSize(1);
    }

    @Test
    void unknownExpressionsAndValuesSurviveARoundTrip() {
        JsonNode unknown = json("""
            {"rule":{"family":"inet","table":"x","chain":"c","handle":9,"expr":[
              {"match":{"op":"==","left":{"payload":{"protocol":"tcp","field":"dport"}},"right":{"set":[22,80]}}},
              {"match":{"op":"==","left":{"payload":{"base":"nh","offset":8,"len":8}},"right":64}},
              {"limit":{"rate":10,"per":"second"}},
              {"counter":"named"},
              {"log":{"prefix":"x "}},
              {"accept":null}]}}""").get("rule");
        Rule r = NftJson.decodeRule(TableRef.inet("x").chain("c"), unknown);
        assertThat(r.exprs().get(0)).isInstanceOf(Expr.Match.class);
        assertThat(((Expr.Match) r.exprs().get(0)).right()).isInstanceOf(Expr.RawValue.class);
        assertThat(r.exprs().subList(1, 5)).allMatch(e -> e instanceof Expr.Raw);
        assertThat(r.exprs().get(5)).isEqualTo(accept());
        assertThat(NftJson.rule(r).get("expr")).isEqualTo(unknown.get("expr"));
    }

    @Test
    void ipv6AndInetShapes() {
        InetAddress c6 = Prefix.literal("fd00::2");
        Rule r = Rule.of(TableRef.inet("x").chain("pre"), Expr.daddr(Prefix.literal("fd00::1")), dport(Proto.TCP, 8080), dnat(c6, 80));
        JsonNode e = NftJson.rule(r).get("expr");
        assertThat(e.get(0).at("/match/left/payload/protocol").asText()).isEqualTo("ip6");
        assertThat(e.get(2).at("/dnat/family").asText()).isEqualTo("ip6");
        // decode what nft prints (compressed IPv6 text) back to equal records
        Rule back = NftJson.decodeRule(r.chain(), json("""
            {"expr":[{"match":{"op":"==","left":{"payload":{"protocol":"ip6","field":"daddr"}},"right":"fd00::1"}},
                     {"match":{"op":"==","left":{"payload":{"protocol":"tcp","field":"dport"}},"right":8080}},
                     {"dnat":{"family":"ip6","addr":"fd00::2","port":80}}]}"""));
        assertThat(back).isEqualTo(r);
    }

    @Test
    void prefixesAreNormalisedAndNeverResolved() {
        assertThat(Prefix.parse("172.17.0.1/16")).isEqualTo(Prefix.parse("172.17.0.0/16"));
        assertThat(Prefix.parse("10.1.2.3").isHost()).isTrue();
        assertThat(Prefix.parse("fd00::1/64")).isEqualTo(Prefix.parse("fd00::/64"));
        assertThatThrownBy(() -> Prefix.parse("localhost")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Prefix.parse("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void commonMistakesAreJavaErrors() {
        assertThatThrownBy(() -> new Command.AddRule(Rule.of(PRE, dnat(C1, 80))))
                .hasMessageContaining("transport protocol match");
        assertThatThrownBy(() -> new Command.AddRule(Rule.of(POST, masquerade(), accept())))
                .hasMessageContaining("after terminal statement");
        assertThatThrownBy(() -> new Command.AddRule(Rule.of(POST))).hasMessageContaining("no expressions");
        assertThatThrownBy(() -> oifname("a-very-long-interface-name")).hasMessageContaining("15 bytes");
        assertThatThrownBy(() -> dport(Proto.TCP, 70000)).hasMessageContaining("out of range");
        assertThatThrownBy(() -> PortMapping.on(Prefix.literal("fd00::1"), Proto.TCP, 80, C1, 80))
                .hasMessageContaining("different IP versions");
        assertThatThrownBy(() -> Expr.ctState(CtState.NEW).negate()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Rule.of(POST, counter()).withComment("x".repeat(129)))
                .hasMessageContaining("128");
        assertThatThrownBy(() -> TableRef.ip("")).hasMessageContaining("empty");
    }

    @Test
    void ctStatesAreListedInKernelBitOrder() {
        assertThat(Expr.ctState(CtState.RELATED, CtState.ESTABLISHED))
                .isEqualTo(Expr.ctState(CtState.ESTABLISHED, CtState.RELATED));
        assertThat(Expr.ctState(CtState.NEW).right()).isEqualTo(new Expr.Str("new"));
    }

    @Test
    void conntrackFlushFilterFlags() {
        ConntrackFlush any = ConntrackFlush.forMapping(PortMapping.any(Proto.UDP, 8080, C1, 53));
        assertThat(any.origFilterFlags()).isEqualTo(0x28);
        assertThat(any.nfgenFamily()).isEqualTo(2);
        ConntrackFlush one = ConntrackFlush.forMapping(PortMapping.on(Prefix.literal("10.0.0.1"), Proto.UDP, 8080, C1, 53));
        assertThat(one.origFilterFlags()).isEqualTo(0x2a);
        assertThat(one.hostIp()).isEqualTo(Optional.of(Prefix.literal("10.0.0.1")));
        assertThat(ConntrackFlush.forMapping(PortMapping.any(Proto.UDP, 1, Prefix.literal("fd00::2"), 1)).nfgenFamily())
                .isEqualTo(10);
    }

    @Test
    void anEmptyListingIsAnEmptyRuleset() {
        assertThat(NftJson.ruleset(NftJson.parse("")).tables()).isEmpty();
        assertThat(NftJson.ruleset(json("{\"nftables\":[{\"metainfo\":{}}]}")).tables()).isEqualTo(List.of());
    }

    @Test
    void publishedPortsAsMapElements() {
        SetRef addr = T.set("pub-addr"), port = T.set("pub-port");
        List<Expr.Value> key = List.of(new Expr.Str("tcp"), new Expr.Num(8080));
        Transaction tx = Transaction.builder()
                .addMap(addr, List.of("inet_proto", "inet_service"), "ipv4_addr")
                .flushMap(addr)
                .addElements(addr, List.of(new MapElement(key, new Expr.Address(Prefix.host(C1)))))
                .deleteElements(port, List.of(key))
                .addElements(port, List.of())          // nothing: no command
                .build();
        assertThat(NftJson.batch(tx)).isEqualTo(json("""
            {"nftables":[
              {"add":{"map":{"family":"ip","table":"nslab-test","name":"pub-addr","type":["inet_proto","inet_service"],"map":"ipv4_addr"}}},
              {"flush":{"map":{"family":"ip","table":"nslab-test","name":"pub-addr"}}},
              {"add":{"element":{"family":"ip","table":"nslab-test","name":"pub-addr","elem":[[{"concat":["tcp",8080]},"172.17.0.2"]]}}},
              {"delete":{"element":{"family":"ip","table":"nslab-test","name":"pub-port","elem":[{"concat":["tcp",8080]}]}}}]}"""));
        Rule r = Rule.of(PRE, Expr.fibDaddrLocal(), new Expr.DnatMap(false,
                List.of(new Expr.Meta("l4proto"), new Expr.Payload("th", "dport")), "pub-addr", "pub-port"));
        assertThat(NftJson.rule(r).get("expr")).isEqualTo(json("""
            [{"match":{"op":"==","left":{"fib":{"result":"type","flags":["daddr"]}},"right":"local"}},
             {"dnat":{"family":"ip",
               "addr":{"map":{"key":{"concat":[{"meta":{"key":"l4proto"}},{"payload":{"protocol":"th","field":"dport"}}]},"data":"@pub-addr"}},
               "port":{"map":{"key":{"concat":[{"meta":{"key":"l4proto"}},{"payload":{"protocol":"th","field":"dport"}}]},"data":"@pub-port"}}}}]"""));
        assertThatThrownBy(() -> Transaction.builder().add(new Command.AddElements(addr, List.of())))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
