package io.nslab.cli.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A generated lab: N nodes on one bridge in a "sw" node, 10.1.0.0/16. */
final class BigLab {
    private BigLab() {}

    static Path write(Path dir, String name, int n) throws IOException {
        StringBuilder b = new StringBuilder("name: " + name + "\nnodes:\n  sw:\n    interfaces:\n      br0:\n        kind: bridge\n        ports: [");
        for (int i = 0; i < n; i++) b.append(i == 0 ? "" : ", ").append("p").append(i);
        b.append("]\n        addresses: [10.1.255.254/16]\n");
        for (int i = 0; i < n; i++) b.append("  n").append(i).append(":\n");
        b.append("links:\n");
        for (int i = 0; i < n; i++)
            b.append("  - ends: [sw:p").append(i).append(", {at: n").append(i).append(":eth0, addresses: [10.1.")
             .append(i / 250).append('.').append(i % 250 + 1).append("/16]}]\n");
        Path f = dir.resolve(name + ".yaml");
        Files.writeString(f, b.toString());
        return f;
    }
}
