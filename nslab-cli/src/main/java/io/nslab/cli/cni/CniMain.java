package io.nslab.cli.cni;

import io.nslab.net.cni.CniPlugin;
import io.nslab.netlink.netns.NetNs;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The entry point of the installed CNI plugin ({@code DIR/nslab}): the
 * runtime's environment and stdin in, the result or error JSON out. Kept
 * apart from nslab's picocli CLI so that a call loads only what it uses.
 */
public final class CniMain {
    private CniMain() {}

    public static void main(String[] args) throws IOException {
        String stdin = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        int rc;
        try (NetNs host = NetNs.current()) {
            rc = new CniPlugin(host).run(System.getenv(), stdin, out);
        } catch (IOException e) {
            out.println("{\"cniVersion\":\"1.1.0\",\"code\":999,\"msg\":\"nslab: cannot open its own network namespace: "
                    + e.getMessage().replace("\"", "'") + "\"}");
            rc = 1;
        }
        out.flush();
        System.exit(rc);
    }
}
