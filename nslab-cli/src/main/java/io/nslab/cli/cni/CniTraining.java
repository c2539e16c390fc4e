package io.nslab.cli.cni;

import io.nslab.net.cni.CniPlugin;
import io.nslab.netlink.netns.NetNs;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The training run behind the installed plugin's ahead-of-time cache: every
 * CNI command once, in one JVM, so the classes and FFM method handles a call
 * uses are loaded and linked in the cache. The "host" and the container are
 * two unnamed network namespaces made here and gone with this process, the
 * store a temporary directory: nothing reaches the machine.
 */
public final class CniTraining {
    private CniTraining() {}

    static final String CONFIG = """
            {"cniVersion":"1.1.0","name":"train","type":"nslab","bridge":"cni-train","isGateway":true,"isDefaultGateway":true,
             "ipMasq":true,"mtu":1500,"hairpinMode":true,
             "ipam":{"type":"host-local","dataDir":"%s","ranges":[[{"subnet":"10.250.0.0/24"}],[{"subnet":"fd00:250::/64"}]],
                     "routes":[{"dst":"10.251.0.0/16"}]},
             "capabilities":{"portMappings":true},
             "runtimeConfig":{"portMappings":[{"hostPort":18080,"containerPort":80,"protocol":"tcp"}]}%s}
            """;

    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("nslab-cni-train");
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
        try (NetNs host = NetNs.createUnnamed(); NetNs container = NetNs.createUnnamed()) {
            CniPlugin p = new CniPlugin(host);
            String cfg = CONFIG.formatted(dir, "");
            Map<String, String> env = Map.of("CNI_COMMAND", "ADD", "CNI_CONTAINERID", "train", "CNI_IFNAME", "eth0",
                    "CNI_NETNS", container.path().toString(), "CNI_PATH", "/nonexistent");
            p.run(Map.of("CNI_COMMAND", "VERSION"), "{}", sink);
            p.run(env, cfg, sink);
            p.run(env, "{\"cniVersion\":", sink);
            p.run(with(env, "CHECK"), CONFIG.formatted(dir, ",\"prevResult\":{\"interfaces\":[],\"ips\":[],\"routes\":[]}"), sink);
            p.run(Map.of("CNI_COMMAND", "STATUS"), cfg, sink);
            p.run(with(env, "DEL"), cfg, sink);
            p.run(env, cfg, sink);
            p.run(Map.of("CNI_COMMAND", "GC"), CONFIG.formatted(dir, ",\"cni.dev/valid-attachments\":[]"), sink);
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path f : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
            }
        }
        System.exit(0);
    }

    private static Map<String, String> with(Map<String, String> env, String cmd) {
        Map<String, String> m = new HashMap<>(env);
        m.put("CNI_COMMAND", cmd);
        return m;
    }
}
