package io.nslab.netlink;

import io.nslab.netlink.wire.Netlink;
import io.nslab.netlink.wire.NlWriter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Pipelined ACKs matched to their requests when one datagram carries several messages (no kernel needed). */
class AckMatchingTest {
    static void ack(NlWriter w, int seq, int errno) {
        int s = w.beginMessage(Netlink.NLMSG_ERROR, Netlink.NLM_F_CAPPED, seq, 0);
        w.u32(-errno);
        w.u32(Netlink.NLMSG_HDRLEN).u16(16).u16(5).u32(seq).u32(0);   // the request's header, capped
        w.endMessage(s);
    }

    @Test void severalAcksInOneDatagramEachGoToTheirRequest() {
        List<NlRequest> chunk = List.of(
                new NlRequest(16, 0, new byte[16], "link add a"),
                new NlRequest(16, 0, new byte[16], "link add b"),
                new NlRequest(16, 0, new byte[16], "link add c"));
        List<Optional<ErrnoException>> out = new ArrayList<>();
        out.add(Optional.empty());                 // a result of an earlier chunk
        for (int i = 0; i < 3; i++) out.add(null);

        NlWriter w = new NlWriter();
        ack(w, 100, 0);            // c, out of order
        ack(w, 99, 17);            // b: EEXIST
        ack(w, 42, 0);             // someone else's (a stale request): skipped
        ack(w, 101, 0);            // beyond the chunk: skipped
        int s = w.beginMessage(Netlink.NLMSG_NOOP, 0, 98, 0);
        w.endMessage(s);           // not an ACK: skipped
        ack(w, 100, 0);            // repeated: not counted twice
        assertThat(NlSocket.matchAcks(w.toByteArray(), chunk, 98, out, 1)).isEqualTo(2);
        assertThat(out.get(1)).isNull();
        assertThat(out.get(2)).hasValueSatisfying(e -> assertThat(e).hasMessage("link add b failed: EEXIST (File exists)"));
        assertThat(out.get(3)).isEmpty();

        NlWriter w2 = new NlWriter();
        ack(w2, 98, 0);
        assertThat(NlSocket.matchAcks(w2.toByteArray(), chunk, 98, out, 1)).isEqualTo(1);
        assertThat(out.subList(1, 4)).allMatch(o -> o != null);
    }
}
