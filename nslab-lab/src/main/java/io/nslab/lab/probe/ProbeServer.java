package io.nslab.lab.probe;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A small server a probe can talk to: TCP echo, UDP echo, or an HTTP server
 * that answers every GET with 200 and a fixed body.
 *
 * <p>Call {@link #start} on a thread inside the namespace: the listening
 * socket is created there and stays there. Serving then runs on virtual
 * threads, which is fine because sockets (unlike threads) keep their
 * namespace wherever they are used.
 */
public final class ProbeServer implements AutoCloseable {
    public enum Kind { TCP_ECHO, UDP_ECHO, HTTP }

    private final Kind kind;
    private final AutoCloseable socket;
    private final int port;
    private final Thread loop;

    private ProbeServer(Kind kind, AutoCloseable socket, int port, Thread loop) {
        this.kind = kind;
        this.socket = socket;
        this.port = port;
        this.loop = loop;
    }

    /** Starts a server on {@code bind:port} (port 0 = any; any address when bind is empty). */
    public static ProbeServer start(Kind kind, InetSocketAddress bind, String httpBody) throws IOException {
        if (kind == Kind.UDP_ECHO) {
            DatagramSocket ds = new DatagramSocket(null);
            ds.setReuseAddress(true);
            ds.bind(bind);
            Thread t = Thread.ofVirtual().name("nslab-udp-echo").start(() -> udpEcho(ds));
            return new ProbeServer(kind, ds, ds.getLocalPort(), t);
        }
        ServerSocket ss = new ServerSocket();
        ss.setReuseAddress(true);
        ss.bind(bind, 128);
        byte[] body = (httpBody == null ? "nslab\n" : httpBody).getBytes(StandardCharsets.UTF_8);
        Thread t = Thread.ofVirtual().name("nslab-" + kind.name().toLowerCase(Locale.ROOT)).start(() -> accept(ss, kind, body));
        return new ProbeServer(kind, ss, ss.getLocalPort(), t);
    }

    public static ProbeServer start(Kind kind, int port) throws IOException {
        return start(kind, new InetSocketAddress((InetAddress) null, port), null);
    }

    public Kind kind() { return kind; }
    public int port() { return port; }

    private static void accept(ServerSocket ss, Kind kind, byte[] body) {
        while (!ss.isClosed()) {
            try {
                Socket c = ss.accept();
                Thread.ofVirtual().start(() -> serve(c, kind, body));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private static void serve(Socket c, Kind kind, byte[] body) {
        try (c) {
            c.setSoTimeout(20_000);
            InputStream in = c.getInputStream();
            OutputStream out = c.getOutputStream();
            if (kind == Kind.TCP_ECHO) {
                RateSink.serve(in, out);      // an echo, or the receiving end of a rate probe
                return;
            }
            // HTTP: read the request head, answer 200 whatever was asked.
            int last4 = 0;
            for (int b; (b = in.read()) >= 0; ) {
                last4 = (last4 << 8) | b;
                if (last4 == 0x0d0a0d0a || (last4 & 0xffff) == 0x0a0a) break;
            }
            out.write(("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length
                    + "\r\nServer: nslab\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
        } catch (IOException ignored) {
            // the client went away; nothing to report
        }
    }

    private static void udpEcho(DatagramSocket ds) {
        byte[] buf = new byte[65536];
        while (!ds.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                ds.receive(p);
                ds.send(new DatagramPacket(buf, p.getLength(), p.getSocketAddress()));
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                // one bad datagram does not stop the server
            }
        }
    }

    @Override public void close() {
        try {
            socket.close();
        } catch (Exception ignored) {
            // closing a server socket only fails if already closed
        }
        loop.interrupt();
    }
}
