package io.nslab.cli.ip;

import java.net.Inet4Address;
import java.net.InetAddress;

/** An address with a prefix length as typed ({@code 10.0.1.0/24}; a bare address gets the full length). */
public record Prefix(InetAddress address, int length, boolean explicitLength) {
    public int family() { return address instanceof Inet4Address ? 2 : 10; }

    public int maxLength() { return address instanceof Inet4Address ? 32 : 128; }

    @Override public String toString() { return Inet.format(address) + "/" + length; }
}
