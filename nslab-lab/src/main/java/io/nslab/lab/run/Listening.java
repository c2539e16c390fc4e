package io.nslab.lab.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Whether a port is in use in the network namespace of a process, from {@code /proc/PID/net/tcp*} and
 * {@code udp*} (the tables of the namespace PID is in): a TCP socket in LISTEN on the port, or a UDP socket
 * bound to it, on any address. Reading the kernel's tables instead of connecting sees a server bound to one
 * interface address too, and sends nothing.
 */
final class Listening {
    private static final String TCP_LISTEN = "0A";

    private Listening() {}

    static boolean tcp(long pid, int port) throws IOException {
        return has(pid, "tcp", port, true) || has(pid, "tcp6", port, true);
    }

    static boolean udp(long pid, int port) throws IOException {
        return has(pid, "udp", port, false) || has(pid, "udp6", port, false);
    }

    private static boolean has(long pid, String table, int port, boolean listen) throws IOException {
        String text;
        try {
            text = Files.readString(Path.of("/proc", Long.toString(pid), "net", table), StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            if (table.endsWith("6")) return false; // no IPv6 in this kernel
            throw e;                               // the process is gone
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
