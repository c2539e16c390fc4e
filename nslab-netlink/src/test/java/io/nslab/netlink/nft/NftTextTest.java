package io.nslab.netlink.nft;

import io.nslab.netlink.Errno;
import io.nslab.netlink.route.IpPrefix;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** nft's spelling of what it lists (checked against the nft binary in NftKernelTest); here what needs no kernel. */
class NftTextTest {
    @Test
    void ipv6AddressesAreWrittenAsNftWritesThem() {
        ChainRef out = TableRef.ip6("t").chain("out");
        Rule r = Recipes.publishLocal(out, PortMapping.any(Proto.TCP, 8080, IpPrefix.parseAddress("fd00::2"), 80));
        assertThat(NftText.rule(r)).isEqualTo("ip6 daddr != ::1 fib daddr type local tcp dport 8080 dnat to [fd00::2]:80");
        assertThat(NftText.element(new MapElement(List.of(new Expr.Address(IpPrefix.parse("::1/128")), new Expr.Str("tcp"), new Expr.Num(8080)),
                new Expr.Address(IpPrefix.parse("fd00::2/128"))))).isEqualTo("::1 . tcp . 8080 : fd00::2");
    }

    @Test
    void kernelOptionsAreNamedForWhatARuleNeeds() {
        ChainRef pre = TableRef.ip("t").chain("pre");
        Command add = new Command.AddRule(Recipes.publish(pre, PortMapping.any(Proto.TCP, 8080, IpPrefix.parseAddress("172.17.0.2"), 80)));
        assertThat(KernelOptions.of(add, Errno.ENOENT)).contains("CONFIG_NFT_FIB_IPV4, CONFIG_NFT_NAT");
        assertThat(KernelOptions.of(add, Errno.EEXIST)).isEmpty();
        Command masq = new Command.AddRule(Recipes.masqueradeSubnet(TableRef.inet("t").chain("post"), IpPrefix.parse("10.0.0.0/8"), "br0"));
        assertThat(KernelOptions.of(masq, Errno.EOPNOTSUPP)).contains("CONFIG_NFT_MASQ");
        Command chain = new Command.AddChain(pre, Optional.of(BaseChain.natPrerouting()));
        assertThat(KernelOptions.of(chain, Errno.ENOENT)).contains("CONFIG_NFT_NAT, CONFIG_NF_TABLES_IPV4");
    }
}
