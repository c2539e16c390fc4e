package io.nslab.lab.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class KernelNamesTest {
    @Test
    void namespacesArePrefixedAndParseBack() {
        KernelNames k = new KernelNames("s10");
        assertThat(k.netns("docker")).isEqualTo("s10.docker");
        assertThat(KernelNames.parseNetns("s10.docker")).contains(new IfRef("s10", "docker"));
        assertThat(KernelNames.parseNetns("docker")).isEmpty();
        assertThat(KernelNames.parseNetns("a.b.c")).isEmpty();
    }

    @Test
    void temporaryNamesFitAndDiffer() {
        String t1 = new KernelNames("a").temporary("n1", "eth0");
        String t2 = new KernelNames("b").temporary("n1", "eth0");
        assertThat(t1).hasSize(15).startsWith("nsl").isNotEqualTo(t2);
        assertThat(new KernelNames("a").temporary("n1", "eth0")).isEqualTo(t1);
        assertThat(KernelNames.ifnameProblem(t1)).isEmpty();
    }

    @Test
    void ifnameRules() {
        assertThat(KernelNames.ifnameProblem("eth0")).isEmpty();
        assertThat(KernelNames.ifnameProblem("veth-nginx-long")).isEmpty(); // 15 bytes
        assertThat(KernelNames.ifnameProblem("veth-nginx-long1")).get().asString().contains("16 bytes");
        assertThat(KernelNames.ifnameProblem("a/b")).get().asString().contains("'/'");
        assertThat(KernelNames.ifnameProblem("a b")).get().asString().contains("whitespace");
        assertThat(KernelNames.ifnameProblem("")).isEqualTo(Optional.of("interface name is empty"));
    }
}
