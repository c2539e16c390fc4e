package io.nslab.netlink.nft;

import io.nslab.netlink.Rtnl;
import io.nslab.netlink.route.LinkChange;
import io.nslab.testing.KernelTest;
import io.nslab.netlink.testing.ScratchNs;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dump-and-delete flush, the one kernels before 6.3 need (they refuse a
 * filtered delete with EINVAL): a real UDP flow on lo in a scratch namespace
 * is tracked, found by port, and deleted; another port's flow stays.
 */
@KernelTest
class ConntrackKernelTest {
    @Test
    void flushByDumpDeletesExactlyTheMatchingFlows() throws Exception {
        try (ScratchNs ns = ScratchNs.create()) {
            ns.run(() -> {
                try (Rtnl r = Rtnl.open()) { r.links().set("lo", LinkChange.up()); }
                try (Nft nft = Nft.open()) {   // a ct expression makes the namespace track connections
                    TableRef t = TableRef.ip("ct_test");
                    ChainRef out = t.chain("out");
                    nft.apply(Transaction.builder().addTable(t)
                            .addChain(out, new BaseChain(ChainType.FILTER, Hook.OUTPUT, BaseChain.PRIO_FILTER, Policy.ACCEPT))
                            .addRule(Rule.of(out, Expr.ctState(CtState.NEW), Expr.accept())).build());
                }
                InetAddress lo = InetAddress.getByName("127.0.0.1");
                try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(lo, 0))) {
                    s.send(new DatagramPacket(new byte[] {1}, 1, lo, 18080));
                    s.send(new DatagramPacket(new byte[] {1}, 1, lo, 18081));
                }
                ConntrackFlush p8080 = new ConntrackFlush(false, Proto.UDP, 18080, Optional.empty());
                ConntrackFlush p8081 = new ConntrackFlush(false, Proto.UDP, 18081, Optional.of(lo));
                assertThat(Conntrack.count(p8080)).isEqualTo(1);
                assertThat(Conntrack.flushByDump(p8080)).isEqualTo(1);
                assertThat(Conntrack.count(p8080)).isZero();
                assertThat(Conntrack.count(p8081)).isEqualTo(1);
                Conntrack.flush(p8081);      // filtered delete here, dump-and-delete on older kernels
                assertThat(Conntrack.count(p8081)).isZero();
            });
        }
    }
}
