package io.nslab.netlink;

import io.nslab.netlink.wire.NlMessage;
import io.nslab.netlink.wire.NlWriter;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Golden bytes captured from iproute2's ss (6.x) with strace -e write=3 / -e read=3:
 * {@code ss -Hnt state listening} sends exactly nslab's request (AF_INET, then AF_INET6), and the kernel
 * answered {@code ss -Hn4t state listening} in a namespace where python listened on 0.0.0.0:7000.
 */
class InetDiagTest {
    private static final HexFormat HEX = HexFormat.of();
    /** nlmsghdr (len 72, SOCK_DIAG_BY_FAMILY, REQUEST|DUMP, seq 123456) + inet_diag_req_v2 for AF_INET. */
    private static final String SS_REQUEST_V4 = "48000000140001" + "0340e20100" + "00000000"
            + "0206000000040000" + "00".repeat(48);
    private static final String SS_REQUEST_V6 = "48000000140001" + "0340e20100" + "00000000"
            + "0a06000000040000" + "00".repeat(48);
    /** One reply message: inet_diag_msg of a LISTEN socket on port 7000 (0x1b58), then attributes. */
    private static final String KERNEL_REPLY = "7c0000001400020040e20100e0570000"
            + "020a00001b5800000000000000000000"
            + "00000000000000000000000000000000"
            + "000000000000000000000000730b0000"
            + "00000000000000000000000080000000"
            + "0000000095c55f000500080000000000"
            + "08000f00000000000c00150001000000"
            + "000000000600160052000000";

    private static byte[] message(NlRequest r, int flags, int seq) {
        NlWriter w = new NlWriter(128);
        int s = w.beginMessage(r.type(), flags | r.flags(), seq, 0);
        w.bytes(r.body());
        w.endMessage(s);
        return w.toByteArray();
    }

    @Test void theListenRequestIsSsBytesForBothFamilies() {
        int dump = 0x0301; // NLM_F_REQUEST | NLM_F_DUMP, as NlSocket.dump adds
        assertThat(HEX.formatHex(message(InetDiag.listenRequest(InetDiag.AF_INET), dump, 123456))).isEqualTo(SS_REQUEST_V4);
        assertThat(HEX.formatHex(message(InetDiag.listenRequest(InetDiag.AF_INET6), dump, 123456))).isEqualTo(SS_REQUEST_V6);
    }

    /**
     * The compat request, laid out from linux/inet_diag.h (not captured: ss 6.x sends it only when the v2
     * request is refused): nlmsghdr (len 76, TCPDIAG_GETSOCK = 18, REQUEST|DUMP, seq 123456, pid 0), then
     * inet_diag_req: family AF_INET (ignored by a dump), src_len 0, dst_len 0, ext 0, inet_diag_sockid all
     * zero (48 bytes), idiag_states 1 << TCP_LISTEN (LE u32), idiag_dbs 0.
     */
    private static final String COMPAT_REQUEST = "4c000000120001" + "0340e20100" + "00000000"
            + "02000000" + "00".repeat(48) + "00040000" + "00000000";

    @Test void theCompatListenRequestIsOneInetDiagReqForBothFamilies() {
        assertThat(HEX.formatHex(message(InetDiag.listenRequestBothFamilies(), 0x0301, 123456))).isEqualTo(COMPAT_REQUEST);
        byte[] body = NlMessage.parse(HEX.parseHex(COMPAT_REQUEST)).payload();
        assertThat(body).hasSize(InetDiag.REQ_V1_LEN);
        assertThat(NlMessage.parse(HEX.parseHex(COMPAT_REQUEST)).type()).isEqualTo(InetDiag.TCPDIAG_GETSOCK);
    }

    @Test void ssRequestDecodesToListenOnlyTcp() {
        byte[] body = NlMessage.parse(HEX.parseHex(SS_REQUEST_V4)).payload();
        assertThat(body).hasSize(InetDiag.REQ_LEN);
        assertThat(body[0]).isEqualTo((byte) InetDiag.AF_INET);
        assertThat(body[1]).isEqualTo((byte) InetDiag.IPPROTO_TCP);
        assertThat(java.nio.ByteBuffer.wrap(body, 4, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt()).isEqualTo(1 << InetDiag.TCP_LISTEN);
        assertThat(InetDiag.listenRequest(InetDiag.AF_INET).body()).isEqualTo(body);
    }

    @Test void theKernelsReplyNamesThePortInListen() {
        List<NlMessage> ms = NlMessage.parseAll(HEX.parseHex(KERNEL_REPLY), 0, KERNEL_REPLY.length() / 2);
        assertThat(ms).hasSize(1);
        assertThat(ms.getFirst().type()).isEqualTo(InetDiag.SOCK_DIAG_BY_FAMILY);
        assertThat(InetDiag.listeningPort(ms.getFirst().payload())).isEqualTo(7000);
        byte[] other = ms.getFirst().payload();
        other[1] = 1; // TCP_ESTABLISHED: not a listener
        assertThat(InetDiag.listeningPort(other)).isEqualTo(-1);
    }
}
