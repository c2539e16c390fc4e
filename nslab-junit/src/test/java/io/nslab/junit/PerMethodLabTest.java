package io.nslab.junit;

import io.nslab.testing.KernelTest;
import org.junit.jupiter.api.Test;
import java.util.Set;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** A lab per test method: from @NetLab on the method, and from a LabSpec registered on an instance field. */
@KernelTest
class PerMethodLabTest {
    @RegisterExtension
    final NetLabExtension net = NetLabExtension.of(LabSpec.builder("trio")
            .lan("sw", "10.8.0.0/24", "a", "b", "c")
            .build());

    static String previous;

    @Test void aBuiltLabPerMethod(Lab lab) throws Exception {
        assertThat(lab.name()).startsWith("trio-j");
        assertThat(lab.name()).isNotEqualTo(previous);
        previous = lab.name();
        assertThat(lab.node("c").address().getHostAddress()).isEqualTo("10.8.0.3");
        var served = Net.echoOnce(lab.node("c"), 7100);
        lab.partition(Set.of("a"), Set.of("b", "c"));
        assertThat(lab.node("b").call(() -> Net.hello(lab.node("c").address(), 7100, 2000))).isEqualTo("hello");
        assertThat(served.get()).isEqualTo("hello");
        assertThat(Net.run("ip", "netns", "list")).contains(lab.name() + ".sw");
    }

    @Test void anotherBuiltLab(Lab lab) {
        assertThat(lab.name()).isNotEqualTo(previous);
        previous = lab.name();
    }
}
