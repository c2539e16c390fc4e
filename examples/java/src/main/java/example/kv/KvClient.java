package example.kv;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A client of {@link KvServer}: it talks to the first replica, and after a failure (a connect or read timeout)
 * tries the next ones, up to {@code retries} more attempts, with a short pause between them.
 */
public final class KvClient {
    private final List<InetSocketAddress> replicas;
    private final int retries;
    private final int timeoutMillis;

    public KvClient(List<InetSocketAddress> replicas, int retries, int timeoutMillis) {
        this.replicas = List.copyOf(replicas);
        this.retries = retries;
        this.timeoutMillis = timeoutMillis;
    }

    public void put(String key, String value) throws IOException, InterruptedException {
        String r = request("PUT " + key + " " + value);
        if (!r.equals("OK")) throw new IOException("PUT " + key + ": " + r);
    }

    public String get(String key) throws IOException, InterruptedException {
        return request("GET " + key);
    }

    private String request(String line) throws IOException, InterruptedException {
        IOException last = null;
        for (int attempt = 0; attempt <= retries; attempt++) {
            InetSocketAddress to = replicas.get(attempt % replicas.size());
            try (Socket s = new Socket()) {
                s.connect(to, timeoutMillis);
                s.setSoTimeout(timeoutMillis);
                new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8).println(line);
                String answer = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
                if (answer != null) return answer;
                last = new IOException(to + " closed the connection");
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(20L * (attempt + 1));
        }
        String[] w = line.split(" ");
        throw new IOException(w[0] + " " + w[1] + " failed after " + (retries + 1) + " attempt(s): " + last.getMessage(), last);
    }
}
