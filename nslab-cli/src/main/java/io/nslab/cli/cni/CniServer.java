package io.nslab.cli.cni;

import io.nslab.net.cni.CniPlugin;
import io.nslab.netlink.netns.NetNs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;

/**
 * The resident side of the plugin ({@code nslab cni serve}): one warm JVM
 * that serves CNI calls on a Unix socket, so that a call costs a shell and
 * {@code nc} instead of a JVM start. A request is the caller's {@code CNI_*}
 * and {@code NSLAB_*} variables, one {@code KEY=VALUE} a line, an empty line,
 * then the configuration; the answer is what the plugin prints, then a last
 * line {@code #rc=N} with its exit code. Each request runs on a thread of its
 * own; the store's locks order them as they order separate processes. The
 * socket is root's only (0600): whoever reaches it can change the network.
 */
public final class CniServer implements AutoCloseable {
    public static final Path DEFAULT_SOCKET = Path.of("/run/nslab/cni.sock");

    private final Path socket;
    private final ServerSocketChannel server;
    private final NetNs host;

    public CniServer(Path socket) throws IOException {
        this.socket = socket;
        Files.createDirectories(socket.getParent());
        Files.deleteIfExists(socket);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        host = NetNs.current();
    }

    /** Serves until closed. */
    public void serve() throws IOException {
        CniPlugin plugin = new CniPlugin(host);
        while (server.isOpen()) {
            SocketChannel c;
            try {
                c = server.accept();
            } catch (IOException e) {
                if (!server.isOpen()) return;
                throw e;
            }
            Thread.ofPlatform().name("cni-call").start(() -> answer(plugin, c));
        }
    }

    private static void answer(CniPlugin plugin, SocketChannel c) {
        try (c) {
            ByteArrayOutputStream in = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(8192);
            while (c.read(buf) >= 0) {
                in.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            String req = in.toString(StandardCharsets.UTF_8);
            int blank = req.indexOf("\n\n");
            String head = blank < 0 ? req : req.substring(0, blank), stdin = blank < 0 ? "" : req.substring(blank + 2);
            Map<String, String> env = new HashMap<>();
            for (String line : head.split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) env.put(line.substring(0, eq), line.substring(eq + 1));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int rc = plugin.run(env, stdin, new PrintStream(out, true, StandardCharsets.UTF_8));
            out.write(("#rc=" + rc + "\n").getBytes(StandardCharsets.UTF_8));
            ByteBuffer o = ByteBuffer.wrap(out.toByteArray());
            while (o.hasRemaining()) c.write(o);
        } catch (IOException e) {
            // the caller went away: nothing to answer
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        host.close();
        Files.deleteIfExists(socket);
    }
}
