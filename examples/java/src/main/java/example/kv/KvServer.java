package example.kv;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One replica of a tiny key-value service. Lines over TCP: {@code PUT k v} stores and copies the write to every
 * peer before answering {@code OK}; {@code GET k} answers the value or {@code NONE}; {@code REPL k v} is a copy
 * from a peer. A peer that cannot be reached misses the write (this is an example, not a consensus protocol).
 */
public final class KvServer implements AutoCloseable {
    private final Map<String, String> data = new ConcurrentHashMap<>();
    private final ServerSocket socket;
    private final List<InetSocketAddress> peers;

    public KvServer(int port, List<InetSocketAddress> peers) throws IOException {
        this.socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(port));
        this.peers = List.copyOf(peers);
    }

    /** Serves until closed; one thread per connection, started from the calling thread. */
    public void serve() {
        while (!socket.isClosed()) {
            try {
                Socket c = socket.accept();
                Thread.ofPlatform().daemon(true).start(() -> handle(c));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void handle(Socket c) {
        try (c; var in = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8));
             var out = new PrintWriter(c.getOutputStream(), true, StandardCharsets.UTF_8)) {
            for (String line; (line = in.readLine()) != null; ) {
                String[] w = line.split(" ", 3);
                switch (w[0]) {
                    case "PUT" -> {
                        data.put(w[1], w[2]);
                        for (InetSocketAddress p : peers) replicate(p, w[1], w[2]);
                        out.println("OK");
                    }
                    case "REPL" -> {
                        data.put(w[1], w[2]);
                        out.println("OK");
                    }
                    case "GET" -> out.println(data.getOrDefault(w[1], "NONE"));
                    default -> out.println("ERR unknown command");
                }
            }
        } catch (IOException gone) {
            // the client went away
        }
    }

    private static void replicate(InetSocketAddress peer, String k, String v) {
        try (Socket s = new Socket()) {
            s.connect(peer, 500);
            s.setSoTimeout(500);
            new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8).println("REPL " + k + " " + v);
            new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
        } catch (IOException missed) {
            // the peer misses this write
        }
    }

    @Override public void close() throws IOException {
        socket.close();
    }
}
