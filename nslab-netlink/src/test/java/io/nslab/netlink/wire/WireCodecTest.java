package io.nslab.netlink.wire;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pure codec: what is decoded encodes back byte for byte, values are immutable, errors carry offsets. */
class WireCodecTest {
    static byte[] hex(String s) { return HexFormat.of().parseHex(s.replace(" ", "")); }

    // An RTM_NEWLINK-like message: 16-byte header, 16-byte ifinfomsg, then
    //   IFLA_IFNAME "lo" (len 7, padded), an attribute of a type nobody knows (0x0777, 3 bytes, padded),
    //   and a nested one (NLA_F_NESTED | 0x1234) holding an unknown u32 (type 0x0999).
    static final byte[] MESSAGE = hex(
            "3c000000 1000 0200 01000000 00000000"      // nlmsghdr: len 60, RTM_NEWLINK, NLM_F_MULTI, seq 1, pid 0
            + "00000000 01000000 49000100 00000000"     // ifinfomsg: family 0, type 0, index 1, flags, change
            + "0700 0300 6c6f00 00"                     // IFLA_IFNAME "lo\0" + 1 pad
            + "0700 7707 aabbcc 00"                     // unknown type 0x0777, 3 bytes + 1 pad
            + "0c00 3492 0800 9909 01020304");          // nested 0x1234|NESTED: unknown u32 0x0999

    @Test void unknownAttributesSurviveDecodeThenEncode() {
        NlMessage m = NlMessage.parse(MESSAGE);
        Attrs a = m.attrs(16);
        assertThat(a.list()).extracting(Attr::kind).containsExactly(3, 0x0777, 0x1234);
        assertThat(a.get(0x0777).orElseThrow().bytes()).containsExactly(0xaa, 0xbb, 0xcc);
        assertThat(a.get(0x1234).orElseThrow().nestedFlag()).isTrue();
        assertThat(a.nested(0x1234).u32(0x0999)).hasValue(0x04030201);

        assertThat(m.encode()).isEqualTo(MESSAGE);
        byte[] attrs = a.encode();
        assertThat(attrs).isEqualTo(Arrays.copyOfRange(MESSAGE, 32, MESSAGE.length));
        assertThat(Attrs.parse(attrs, 0, attrs.length)).isEqualTo(a);
    }

    @Test void valuesAreImmutable() {
        NlMessage m = NlMessage.parse(MESSAGE);
        m.payload()[0] = 99;
        assertThat(m.payload()[0]).isZero();
        Attr unknown = m.attrs(16).get(0x0777).orElseThrow();
        unknown.bytes()[0] = 0;
        assertThat(unknown.u8()).isEqualTo(0xaa);
        byte[] raw = {1, 2};
        Attr a = new Attr(5, raw);
        raw[0] = 9;
        assertThat(a.bytes()).containsExactly(1, 2);
        assertThat(m.attrs(16).list()).isUnmodifiable();
    }

    @Test void malformedInputFailsWithTheOffset() {
        byte[] bad = MESSAGE.clone();
        bad[32] = 0x40;   // IFLA_IFNAME claims 64 bytes: overruns its message
        NlMessage m = NlMessage.parse(bad);
        assertThatThrownBy(() -> m.attrs(16))
                .isInstanceOf(DecodeException.class)
                .hasMessageContaining("attribute type 3 length 64 overruns")
                .satisfies(e -> assertThat(((DecodeException) e).offset()).isEqualTo(16));   // offset within the payload

        byte[] shortLen = MESSAGE.clone();
        shortLen[0] = 0x7f;   // nlmsg_len 127 > the 60-byte datagram
        assertThatThrownBy(() -> NlMessage.parseAll(shortLen, 0, shortLen.length))
                .isInstanceOf(DecodeException.class)
                .hasMessageContaining("nlmsg_len 127")
                .satisfies(e -> assertThat(((DecodeException) e).offset()).isZero());

        Attr tiny = new Attr(1, new byte[] {1});
        assertThatThrownBy(tiny::u32).isInstanceOf(DecodeException.class).hasMessageContaining("needs 4");
    }

    @Test void nestedDecodeErrorsPointIntoTheWholePayload() {
        byte[] bad = MESSAGE.clone();
        bad[52] = 0x20;   // the u32 inside the nest (payload offset 36) claims 32 bytes
        Attrs a = NlMessage.parse(bad).attrs(16);
        assertThatThrownBy(() -> a.nested(0x1234))
                .isInstanceOf(DecodeException.class)
                .hasMessageContaining("attribute type 2457 length 32 overruns")
                .satisfies(e -> assertThat(((DecodeException) e).offset()).isEqualTo(36));
        Attr nest = a.get(0x1234).orElseThrow();
        byte[] shortValue = MESSAGE.clone();
        shortValue[52] = 0x06;   // now the nested attribute holds 2 bytes, read as u32
        Attr inner = NlMessage.parse(shortValue).attrs(16).nested(0x1234).get(0x0999).orElseThrow();
        assertThatThrownBy(inner::u32).isInstanceOf(DecodeException.class)
                .satisfies(e -> assertThat(((DecodeException) e).offset()).isEqualTo(40));
        assertThat(nest).isEqualTo(new Attr(nest.rawType(), nest.bytes()));   // the position is not part of the value
    }
}
