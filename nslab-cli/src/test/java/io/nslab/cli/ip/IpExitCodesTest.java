package io.nslab.cli.ip;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.nslab.cli.ip.IpParserTest.code;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Refused lines exit as ip 6.1 exits for them (each status below was read from ip on this kernel):
 * 255 for what ip rejects with exit(-1) (unknown word, invalid value, duplicate), 1 for what it
 * reports and returns -1 for (missing argument, malformed address), 2 where ip sends the request and
 * the kernel refuses it (nslab checks first). IpCompatTest compares the same with ip itself.
 */
class IpExitCodesTest {
    @ParameterizedTest(name = "{1}: {0}")
    @CsvSource(delimiter = '|', value = {
        "addr frob|255", "addr add 10.0.0.1/24 10.0.0.2/24 dev lo|255", "addr add 10.0.0.1/24 valid_lft 5 valid_lft 6 dev lo|255",
        "addr add 10.0.0.1/24 dev lo scope bogus|255", "addr add 10.0.0.1/24 dev lo metric abc|255", "addr add 10.0.0.1/24 dev lo bogusword|255",
        "addr flush|1", "addr add 10.0.0.1/24 broadcast fd00::1 dev lo|1", "addr add 10.0.0.1/24|1", "addr add 10.0.0.1/24 dev lo valid_lft 0|1",
        "addr add 10.0.0.1/24 dev lo valid_lft 5 preferred_lft 10|1", "addr add 10.0.0.1/24 dev lo autojoin|1", "addr add 10.0.0.1/33 dev lo|1",
        "addr add dev lo|2",
        "link frob|255", "link add x mtu abc type bridge|255", "link set|255", "link set lo addrgenmode foo|255", "link set lo mtu abc|255",
        "link set lo bogus|255", "link del|255", "link add x type vxlan id 5 remote 239.1.1.1|255",
        "link add x type macvlan mode bogus|1", "link add x|1", "link add x address zz type bridge|1", "link set lo promisc maybe|1",
        "link add x type bogus-kind|2", "link add x type vlan|2", "link add x type vxlan|2",
        "neigh add 10.0.0.1|255", "neigh add 10.0.0.1 10.0.0.2 dev lo|255", "neigh add 10.0.0.1 dev lo nud bogus|255", "neigh show nud bogus|255",
        "neigh frob|255", "neigh flush|1", "neigh get 10.0.0.7|1",
        "netns frob|255", "netns add a/b|255", "netns exec x|1", "netns identify abc|1",
        "route frob|255", "route add|255", "route add 10.0.0.0/24 table bogus dev lo|255", "route add 10.0.0.0/24 dev lo metric abc|255",
        "route add 10.0.0.0/24 dev lo bogus|255", "route show table bogus|255",
        "route flush|1", "route get|1", "route add bogus 10.0.0.0/24 dev lo|1", "route add 10.0.0.0/24 via fd00::1|1", "route add 10.0.0.0/33 dev lo|1",
        "route add 10.0.0.1/24 dev lo|2", "route add 10.0.0.0/24|2",
        "rule frob|255", "rule add from 10.0.0.0/8 bogus|255", "rule add priority abc|255", "rule add from 10.0.0.0/8 to fd00::/8|2",
        "tuntap frob|255", "tuntap add mode bogus|255", "tuntap add dev t0 mode tap user no-such-user-here|255", "tuntap add dev t0|1",
        "monitor bogus|255",
    })
    void asIpExits(String line, int status) {
        assertThat(code(line)).as(line).isEqualTo(status);
    }
}
