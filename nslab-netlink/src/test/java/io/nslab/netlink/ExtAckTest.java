package io.nslab.netlink;

import io.nslab.netlink.wire.Netlink;
import io.nslab.netlink.wire.NlMessage;
import io.nslab.netlink.wire.NlWriter;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Extended-ACK text taken from NLMSG_ERROR and NLMSG_DONE as the kernel lays them out (no kernel needed). */
class ExtAckTest {
    /** An NLMSG_ERROR for a capped ACK: error, the request's header, then the TLVs. */
    static NlMessage error(int errno, NlWriter tlvs) {
        NlWriter w = new NlWriter(64);
        w.u32(-errno);
        w.u32(Netlink.NLMSG_HDRLEN + 20).u16(16).u16(Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK).u32(7).u32(0);   // the request's nlmsghdr
        w.bytes(tlvs.toByteArray());
        return new NlMessage(Netlink.NLMSG_ERROR, Netlink.NLM_F_CAPPED | Netlink.NLM_F_ACK_TLVS, 7, 0, w.toByteArray());
    }

    @Test void messageTextBecomesTheDetail() {
        NlWriter t = new NlWriter();
        t.attrString(Netlink.NLMSGERR_ATTR_MSG, "Unknown device type");
        t.attrU32(Netlink.NLMSGERR_ATTR_OFFS, 52);
        var e = NlSocket.error("link add x0", 95, error(95, t));
        assertThat(e).hasMessage("link add x0 failed: EOPNOTSUPP (Operation not supported): Unknown device type");
    }

    @Test void aMissingAttributeIsNamedEvenWithoutText() {
        NlWriter t = new NlWriter();
        t.attrU32(Netlink.NLMSGERR_ATTR_MISS_TYPE, 3);
        assertThat(NlSocket.error("link set x0", 22, error(22, t)))
                .hasMessage("link set x0 failed: EINVAL (Invalid argument): missing attribute type 3");
        NlWriter both = new NlWriter();
        both.attrString(Netlink.NLMSGERR_ATTR_MSG, "Missing attribute");
        both.attrU32(Netlink.NLMSGERR_ATTR_MISS_TYPE, 3);
        assertThat(NlSocket.error("x", 22, error(22, both)).detail()).hasValue("Missing attribute (missing attribute type 3)");
    }

    @Test void noTlvsNoDetail() {
        NlMessage plain = new NlMessage(Netlink.NLMSG_ERROR, 0, 1, 0, new NlWriter(32).u32(-17).zeros(16).toByteArray());
        assertThat(NlSocket.error("addr add 10.0.0.1/24 dev eth0", 17, plain))
                .hasMessage("addr add 10.0.0.1/24 dev eth0 failed: EEXIST (File exists)");
    }
}
