package io.nslab.lab.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Whether a port is in use in the calling thread's network namespace, from {@code /proc/thread-self/net/tcp*}
 * and {@code udp*} (resolved against the namespace of the thread that opens them): a TCP socket in LISTEN on
 * the port, or a UDP socket bound to it, on any address. Reading the kernel's tables instead of connecting
 * sees a server bound to one interface address too, and sends nothing.
 */
final class Listening {
    private static final String TCP_LISTEN = "0A";

    private Listening() {}

    static boolean tcp(int port) throws IOException {
        return has("tcp", port, true) || has("tcp6", port, true);
    }

    static boolean udp(int port) throws IOException {
        return has("udp", port, false) || has("udp6", port, false);
    }

    private static boolean has(String table, int port, boolean listen) throws IOException {
        String text;
        try {
            text = Files.readString(Path.of("/proc/thread-self/net", table), StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return false; // no IPv6 in this kernel
        }
        return contains(text, port, listen);
    }

    /** Lines: {@code sl local_address rem_address st ...}, addresses as HEXADDR:HEXPORT. Pure. */
    static boolean contains(String table, int port, boolean listen) {
        int from = table.indexOf('\n') + 1;
        while (from > 0 && from < table.length()) {
            int end = table.indexOf('\n', from);
            if (end < 0) end = table.length();
            String[] f = table.substring(from, end).trim().split("\\s+");
            if (f.length > 3) {
                int colon = f[1].lastIndexOf(':');
                if (colon > 0) {
                    int p = Integer.parseInt(f[1].substring(colon + 1), 16);
                    if (p == port && (!listen || f[3].equals(TCP_LISTEN))) return true;
                }
            }
            from = end + 1;
        }
        return false;
    }
}
