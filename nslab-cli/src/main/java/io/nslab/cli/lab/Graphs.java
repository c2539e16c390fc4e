package io.nslab.cli.lab;

import io.nslab.lab.engine.Demo;
import io.nslab.lab.graph.Graph;
import io.nslab.lab.model.Lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Writing a lab's diagrams (labfront's {@link Graph}): LAB.svg and LAB.mmd in a directory. */
final class Graphs {
    private Graphs() {}

    static List<Path> write(Lab lab, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path svg = dir.resolve(lab.name() + ".svg"), mmd = dir.resolve(lab.name() + ".mmd");
        Files.writeString(svg, Graph.svg(lab));
        Files.writeString(mmd, Graph.mermaid(lab));
        return List.of(svg, mmd);
    }

    static Optional<Demo.GraphWriter> writer() {
        return Optional.of(Graphs::write);
    }
}
