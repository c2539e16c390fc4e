package io.nslab.junit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/** Small real TCP exchanges and observers for the tests. */
final class Net {
    private Net() {}

    /** A one-shot echo server in {@code node} on {@code port}; returns once it listens. */
    static CompletableFuture<String> echoOnce(Node node, int port) throws Exception {
        ServerSocket ss = node.call(() -> {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(port));
            return s;
        });
        return node.start(() -> {
            try (ss; Socket c = ss.accept()) {
                String line = new String(c.getInputStream().readNBytes(5), StandardCharsets.UTF_8);
                c.getOutputStream().write(line.getBytes(StandardCharsets.UTF_8));
                return line;
            }
        });
    }

    /** Connects from the calling thread's namespace and sends "hello"; returns the echo. */
    static String hello(InetAddress to, int port, int timeoutMillis) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(to, port), timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            OutputStream o = s.getOutputStream();
            o.write("hello".getBytes(StandardCharsets.UTF_8));
            InputStream i = s.getInputStream();
            return new String(i.readNBytes(5), StandardCharsets.UTF_8);
        }
    }

    /** The network namespace of the calling thread, as /proc shows it ({@code net:[INODE]}). */
    static String myNetns() throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
    }

    /** A command's stdout, run here (an independent observer: ip, nft, tc). */
    static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }
}
