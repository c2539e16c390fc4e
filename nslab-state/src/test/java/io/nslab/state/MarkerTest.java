package io.nslab.state;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The alias text of nslab's ownership marks, both ways. */
class MarkerTest {
    @Test
    void textAndParseAgree() {
        assertThat(Marker.lab("web").text()).isEqualTo("nslab:lab:web");
        assertThat(Marker.net("web-1.x").text()).isEqualTo("nslab:net:web-1.x");
        assertThat(Marker.parse("nslab:lab:web")).contains(Marker.lab("web"));
        assertThat(Marker.parse("nslab:net:web-1.x")).contains(Marker.net("web-1.x"));
        assertThat(Marker.cni("pods.1").text()).isEqualTo("nslab:cni:pods.1");
        assertThat(Marker.parse("nslab:cni:pods.1")).contains(Marker.cni("pods.1"));
        assertThat(Marker.parse("nslab:other:web")).isEmpty();
        assertThat(Marker.parse("my uplink")).isEmpty();
        assertThat(Marker.parse("nslab:lab:")).isEmpty();
        // the texts whose bytes nslab-netlink's golden files hold, as `ip link set DEV alias TEXT` sends them
        assertThat(Marker.net("web").text()).isEqualTo("nslab:net:web");
        assertThat(Marker.lab("st").text()).isEqualTo("nslab:lab:st");
    }

    @Test
    void markedIfindexesLieAboveTheKernelsSequentialOnes() {
        for (int i = 0; i < 1000; i++) assertThat(Marker.index()).isBetween(1 << 24, (1 << 30) - 1);
    }

    @Test
    void onComparesTheWholeAlias() {
        Marker m = Marker.lab("web");
        assertThat(m.on(Optional.of("nslab:lab:web"))).isTrue();
        assertThat(m.on(Optional.of("nslab:lab:web2"))).isFalse();
        assertThat(m.on(Optional.of("nslab:net:web"))).isFalse();
        assertThat(Marker.cni("web").on(Optional.of("nslab:net:web"))).isFalse();
        assertThat(m.on(Optional.empty())).isFalse();
    }

    @Test
    void ownersThatWouldMakeAnAmbiguousMarkAreRefused() {
        assertThatThrownBy(() -> Marker.lab("a:b")).hasMessageContaining("bad owner");
        assertThatThrownBy(() -> Marker.lab("a b")).hasMessageContaining("bad owner");
        assertThatThrownBy(() -> Marker.lab("x".repeat(250))).hasMessageContaining("too long");
    }
}
