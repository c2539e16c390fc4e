/**
 * nslab-lab: labs (model, load, validate, plan, apply, verify), on top of
 * {@code io.nslab.netlink}. Docker-style networks are {@code io.nslab.net}.
 */
module io.nslab.lab {
    requires transitive io.nslab.netlink;
    requires transitive io.nslab.state;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.dataformat.yaml;
    requires com.fasterxml.jackson.datatype.jdk8;

    exports io.nslab.lab.model;
    exports io.nslab.lab.load;
    exports io.nslab.lab.validate;
    exports io.nslab.lab.plan;
    exports io.nslab.lab.apply;
    exports io.nslab.lab.verify;
    exports io.nslab.lab.engine;
    exports io.nslab.lab.graph;
    exports io.nslab.lab.probe;
    exports io.nslab.lab.run;
    exports io.nslab.lab.events;
    exports io.nslab.lab.host;

    // the journal (JSON lines) binds plan steps and journal entries by reflection
    opens io.nslab.lab.plan to com.fasterxml.jackson.databind;
    opens io.nslab.lab.apply to com.fasterxml.jackson.databind;
    opens io.nslab.lab.run to com.fasterxml.jackson.databind;
}
