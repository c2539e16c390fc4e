package io.nslab.cli.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import io.nslab.netlink.Rtnl;
import io.nslab.netlink.netns.NetNs;
import io.nslab.netlink.route.AddressSpec;
import io.nslab.netlink.route.IpPrefix;
import io.nslab.netlink.route.LinkChange;
import io.nslab.netlink.route.LinkKind;
import io.nslab.netlink.route.LinkNetns;
import io.nslab.netlink.route.LinkSpec;
import io.nslab.netlink.route.RouteSpec;
import io.nslab.testing.KernelTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real container runtime on nslab: Podman 4.3 with its CNI backend runs a
 * busybox httpd (a root file system of busybox-static made here, no image)
 * on an nslab network with a published port, which answers from another
 * namespace; {@code podman rm} leaves no link, table, namespace or address
 * behind. Podman's state, configuration, plugin directory and CNI cache all
 * live in this test's temporary directory or in tmpfs mounts of the
 * sandbox's private mount namespace: never /etc/cni, /opt/cni or /var/lib/cni
 * of the machine.
 */
@KernelTest
class CniPodmanTest {
    @TempDir Path w;
    boolean varLibMounted, cgroupsMounted;
    final String cgroupParent = "nslab-cni-test-" + ProcessHandle.current().pid();

    @BeforeEach
    void tools() throws Exception {
        for (String t : List.of("podman", "runc"))
            assumeTrue(run(List.of("sh", "-c", "command -v " + t)).rc == 0, t + " is not installed (test/setup installs podman, runc)");
        assumeTrue(Files.isRegularFile(Path.of("/bin/busybox")), "busybox-static is not installed (test/setup installs it)");
        // libcni's cache is /var/lib/cni, fixed in Podman 4.3: a tmpfs over /var/lib in the sandbox's own mount namespace
        Out m = run(List.of("mount", "-t", "tmpfs", "nslab-cni-test", "/var/lib"));
        assertThat(m.rc).as(m.out).isZero();
        varLibMounted = true;
        mountCgroups();
    }

    /**
     * The sandbox mounts a sysfs of its own network namespace on /sys, which
     * hides the cgroup file systems runc needs: they are mounted again, in the
     * sandbox's mount namespace only, as the machine has them (/proc/1/mountinfo).
     * The containers' cgroups go under a parent of this test's, removed after.
     */
    void mountCgroups() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/1/mountinfo"))) {
            String[] f = line.split(" ");
            int dash = List.of(f).indexOf("-");
            if (f.length < 5 || dash < 0 || !f[4].startsWith("/sys/fs/cgroup")) continue;
            String type = f[dash + 1], opts = f[dash + 3];
            if (!type.equals("tmpfs") && !type.startsWith("cgroup")) continue;
            Files.createDirectories(Path.of(f[4]));
            Out m = run(List.of("mount", "-t", type, "-o", opts, type.equals("tmpfs") ? "nslab-cgroup" : type, f[4]));
            assertThat(m.rc).as("mount " + f[4] + ": " + m.out).isZero();
            cgroupsMounted = true;
        }
    }

    @AfterEach
    void unmount() throws Exception {
        if (cgroupsMounted) {
            run(List.of("sh", "-c", "find /sys/fs/cgroup -depth -type d -path '*/" + cgroupParent + "*' -exec rmdir {} \\;"));
            Out left = run(List.of("find", "/sys/fs/cgroup", "-path", "*/" + cgroupParent + "*"));
            run(List.of("umount", "-R", "-l", "/sys/fs/cgroup"));
            assertThat(left.out).as("cgroups left behind").isEmpty();
        }
        if (varLibMounted) run(List.of("umount", "-l", "/var/lib"));
        if (NetNs.exists("cniout")) NetNs.delete("cniout");
    }

    record Out(int rc, String out) {}

    static Out run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) p.destroyForcibly();
        return new Out(p.exitValue(), out);
    }

    List<String> podman(String... args) {
        List<String> c = new ArrayList<>(List.of("podman", "--root", w.resolve("root").toString(), "--runroot", w.resolve("runroot").toString(),
                "--runtime", "runc", "--network-backend", "cni", "--cgroup-manager", "cgroupfs", "--events-backend", "file",
                "--tmpdir", w.resolve("tmp").toString()));
        c.addAll(List.of(args));
        return c;
    }

    Out podmanRun(String... args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(podman(args)).redirectErrorStream(true);
        pb.environment().put("CONTAINERS_CONF", w.resolve("containers.conf").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) p.destroyForcibly();
        return new Out(p.exitValue(), out);
    }

    static JsonNode json(String... cmd) throws Exception {
        Out o = run(List.of(cmd));
        assertThat(o.rc).as(o.out).isZero();
        return Cli.JSON.readTree(o.out);
    }

    static List<String> links() throws Exception {
        List<String> l = new ArrayList<>();
        json("ip", "-j", "link", "show").forEach(n -> l.add(n.get("ifname").asText()));
        return l;
    }

    static String tables() throws Exception {
        return json("nft", "-j", "list", "tables").toString();
    }

    @Test
    void podmanRunsAContainerOnAnNslabNetworkPublishesAPortAndRmLeavesNothing() throws Exception {
        Path rootfs = Files.createDirectories(w.resolve("rootfs/bin"));
        Files.copy(Path.of("/bin/busybox"), rootfs.resolve("busybox"));
        Files.createDirectories(w.resolve("rootfs/www"));
        Files.writeString(w.resolve("rootfs/www/index.html"), "hello from podman on nslab\n");
        for (String d : List.of("net.d", "cni-state", "root", "runroot", "tmp")) Files.createDirectories(w.resolve(d));

        Cli.Result inst = Cli.nslabArgs("cni", "install", "--no-cache", w.resolve("bin").toString());
        assertThat(inst.code()).as(inst.err()).isZero();
        assertThat(Files.isExecutable(w.resolve("bin/nslab"))).isTrue();

        Files.writeString(w.resolve("containers.conf"), """
                [containers]
                default_ulimits = []
                [network]
                network_backend = "cni"
                cni_plugin_dirs = ["%s"]
                network_config_dir = "%s"
                [engine]
                tmp_dir = "%s"
                """.formatted(w.resolve("bin"), w.resolve("net.d"), w.resolve("tmp")));
        Files.writeString(w.resolve("net.d/nslabtest.conflist"), """
                {"cniVersion":"1.0.0","name":"nslabtest","plugins":[{"type":"nslab","bridge":"cni-nsl","isGateway":true,
                 "isDefaultGateway":true,"ipMasq":true,"hairpinMode":true,
                 "ipam":{"type":"host-local","dataDir":"%s","ranges":[[{"subnet":"10.89.7.0/24"}]]},
                 "capabilities":{"portMappings":true}}]}
                """.formatted(w.resolve("cni-state")));
        List<String> linksBefore = links();
        String tablesBefore = tables();

        Out r = podmanRun("run", "-d", "--cgroup-parent", "/" + cgroupParent, "--name", "web", "--network", "nslabtest", "-p", "18090:80", "--rootfs", w.resolve("rootfs").toString(),
                "/bin/busybox", "httpd", "-f", "-p", "80", "-h", "/www");
        assertThat(r.rc).as(r.out).isZero();
        try {
            assertThat(links()).contains("cni-nsl");
            assertThat(tables()).contains("cni-nslabtest");
            assertThat(Files.readString(w.resolve("cni-state/nslabtest.json"))).contains("10.89.7.2/24");

            // another namespace, wired to the runtime's, asks the published port on the host's address
            NetNs.create("cniout");
            try (Rtnl rt = Rtnl.open(); NetNs out = NetNs.open("cniout")) {
                rt.links().add(LinkSpec.of("cniup0", LinkKind.veth("eth0").withPeerNetns(LinkNetns.name("cniout"))).withUp(true));
                rt.addresses().add(AddressSpec.of("cniup0", IpPrefix.parse("192.168.78.1/24")));
                out.run(() -> {
                    try (Rtnl o = Rtnl.open()) {
                        o.links().set("lo", LinkChange.up());
                        o.links().set("eth0", LinkChange.up());
                        o.addresses().add(AddressSpec.of("eth0", IpPrefix.parse("192.168.78.2/24")));
                        o.routes().add(RouteSpec.defaultRoute().via(InetAddress.ofLiteral("192.168.78.1")));
                    }
                });
                String body = "";
                for (int i = 0; i < 20 && !body.contains("hello"); i++) {
                    body = out.call(() -> get("192.168.78.1", 18090));
                    if (!body.contains("hello")) Thread.sleep(250);
                }
                assertThat(body).contains("hello from podman on nslab");
            }
            run(List.of("ip", "link", "del", "cniup0"));
        } finally {
            Out rm = podmanRun("rm", "-f", "-t", "0", "web");
            assertThat(rm.rc).as(rm.out).isZero();
        }
        assertThat(links()).isEqualTo(linksBefore);
        assertThat(tables()).isEqualTo(tablesBefore);
        try (Stream<Path> s = Files.list(w.resolve("cni-state"))) {
            assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))).isEmpty();
        }
        assertThat(NetNs.list()).containsExactly("cniout");
    }

    static String get(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.ofLiteral(host), port), 2000);
            s.setSoTimeout(3000);
            s.getOutputStream().write(("GET / HTTP/1.0\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
