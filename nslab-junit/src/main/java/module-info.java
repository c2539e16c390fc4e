/**
 * nslab-junit: a JUnit 5 extension that gives a test class or method its own
 * lab (real namespaces, veth pairs, bridges, addresses, routes) from a lab file
 * or a {@link io.nslab.junit.LabSpec}, with faults at run time (partitions,
 * links down, impairments). See docs/junit.md.
 */
module io.nslab.junit {
    requires transitive io.nslab.lab;
    requires transitive org.junit.jupiter.api;

    exports io.nslab.junit;
}
