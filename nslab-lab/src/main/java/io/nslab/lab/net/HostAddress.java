package io.nslab.lab.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;

/** An interface address with its prefix length, host bits kept ({@code 172.17.0.1/16}). */
public record HostAddress(InetAddress address, int length) {
    public HostAddress {
        Objects.requireNonNull(address, "address");
        int max = address instanceof Inet4Address ? 32 : 128;
        if (length < 0 || length > max) throw new IllegalArgumentException("prefix length out of range 0.." + max + ": " + length);
    }

    @Override
    public String toString() {
        return address.getHostAddress() + "/" + length;
    }
}
