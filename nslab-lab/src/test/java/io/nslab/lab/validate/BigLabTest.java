package io.nslab.lab.validate;

import io.nslab.lab.load.LabLoader;
import org.junit.jupiter.api.Test;

import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The benchmark lab (1000 nodes on one bridge) loads and validates quickly. */
public class BigLabTest {
    public static String star(int n) {
        StringBuilder sb = new StringBuilder("name: star\ndescription: star of ").append(n).append(" nodes\nnodes:\n  hub:\n    interfaces:\n");
        sb.append("      br0: {kind: bridge, addresses: [10.0.0.1/16], ports: [")
                .append(IntStream.rangeClosed(1, n).mapToObj(i -> "p" + i).collect(Collectors.joining(", "))).append("]}\n");
        for (int i = 1; i <= n; i++) sb.append("  n").append(i).append(":\n");
        sb.append("links:\n");
        for (int i = 1; i <= n; i++)
            sb.append("  - [hub:p").append(i).append(", {at: n").append(i).append(":eth0, addresses: [10.0.")
                    .append((i + 1) / 256).append('.').append((i + 1) % 256).append("/16]}]\n");
        sb.append("expect: [n1 reaches n").append(n).append("]\n");
        return sb.toString();
    }

    @Test
    void thousandNodes() {
        String text = star(1000);
        Validator.checkText(star(10), "warm.yaml");
        long t0 = System.nanoTime();
        var loaded = LabLoader.parse(text, "star.yaml");
        long t1 = System.nanoTime();
        Report r = Validator.of(loaded);
        System.out.printf("load %d ms, validate %d ms%n", (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
        assertThat(r.problems()).isEmpty();
        assertThat(r.lab().orElseThrow().nodes()).hasSize(1001);
    }
}
