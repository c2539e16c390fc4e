package io.nslab.lab.graph;

import io.nslab.lab.model.Lab;

/** Diagrams of a lab, for {@code nslab graph}: Mermaid (for Markdown) and a self-contained SVG. Pure. */
public final class Graph {
    private Graph() {}

    /** A Mermaid {@code flowchart LR}: a subgraph per node, an entry per interface, veth pairs as edges. */
    public static String mermaid(Lab lab) {
        return Mermaid.of(lab);
    }

    /** A standalone SVG document, laid out by hand (no Graphviz needed). */
    public static String svg(Lab lab) {
        return Svg.of(lab);
    }
}
