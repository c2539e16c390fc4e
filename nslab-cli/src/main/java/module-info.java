/**
 * The nslab command line. Released as one shaded jar run from the class path
 * ({@code ./nslab}, whose shade step drops every module-info); this descriptor
 * is for running it (and its tests) on the module path.
 */
module io.nslab.cli {
    requires io.nslab.netlink;
    requires io.nslab.lab;
    requires io.nslab.net;
    requires info.picocli;
    requires com.fasterxml.jackson.databind;
    requires java.management;   // the progress printer reports the JVM's uptime

    // picocli reads the commands' annotated fields and methods by reflection
    opens io.nslab.cli to info.picocli;
    opens io.nslab.cli.lab to info.picocli;
    opens io.nslab.cli.net to info.picocli;
    opens io.nslab.cli.capture to info.picocli;
    opens io.nslab.cli.cni to info.picocli;
}
