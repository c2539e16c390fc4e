package io.nslab.lab.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The names a lab's objects get in the kernel, derived deterministically from the lab so that two labs run side
 * by side without clashing and a second {@code up} finds what the first made.
 *
 * <ul>
 * <li>Namespace of node N of lab L: {@code L.N} (e.g. {@code s10.docker}). Lab and node names cannot contain
 *     {@code .}, so the split is unambiguous ({@link #parseNetns}).</li>
 * <li>Interfaces keep their file names inside their namespace (each node is its own namespace, so
 *     {@code eth0} in two nodes or two labs never clash).</li>
 * <li>An interface made in one namespace and then moved to another (a macvlan/ipvlan/vlan child whose parent
 *     lives in another node, a {@code physical: true} stand-in end) exists for a moment under
 *     {@link #temporary}: {@code nsl} + 12 hex digits of SHA-256("lab/node/ifname"), 15 bytes, unique per lab
 *     and interface, then is renamed to its file name in its own namespace.</li>
 * <li>A bridge with more ports than the kernel allows is built as a tree ({@code BridgeTree}) whose parts live in
 *     its node: leaf bridges {@code nsbHHHHHHH.K} and the veth pairs joining them to the declared bridge,
 *     {@code nsuHHHHHHH.K} (on the declared bridge) and {@code nsdHHHHHHH.K} (on leaf K), with 7 hex digits of
 *     SHA-256("lab/node/bridge"). Names of this form are reserved ({@link #BRIDGE_PART}).</li>
 * </ul>
 */
public record KernelNames(String lab) {
    /** Kernel limit: IFNAMSIZ 16 including the terminating NUL. */
    public static final int IFNAME_MAX = 15;
    public static final Pattern LAB_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,31}");
    public static final Pattern NODE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    public static final char SEPARATOR = '.';
    /** The names of a bridge tree's parts; a lab file cannot use them. */
    public static final Pattern BRIDGE_PART = Pattern.compile("ns[bud][0-9a-f]{7}\\.[0-9]{1,4}");

    public String netns(String node) {
        return lab + SEPARATOR + node;
    }

    /** The 15-byte temporary name of interface {@code ifname} of {@code node} while it is moved between namespaces. */
    public String temporary(String node, String ifname) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256")
                    .digest((lab + "/" + node + "/" + ifname).getBytes(StandardCharsets.UTF_8));
            return "nsl" + HexFormat.of().formatHex(h, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("SHA-256 is always present", e);
        }
    }

    /** Part {@code k} of the tree of bridge {@code bridge} of {@code node}: {@code role} is 'b' (leaf bridge), 'u' or 'd' (uplink ends). */
    public String bridgePart(String node, String bridge, char role, int k) {
        return "ns" + role + hex(lab + "/" + node + "/" + bridge, 7) + "." + k;
    }

    private static String hex(String s, int digits) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, (digits + 1) / 2).substring(0, digits);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("SHA-256 is always present", e);
        }
    }

    /** The lab and node a namespace name belongs to, if it has the {@code LAB.NODE} form. */
    public static Optional<IfRef> parseNetns(String netns) {
        int dot = netns.indexOf(SEPARATOR);
        if (dot <= 0 || dot != netns.lastIndexOf(SEPARATOR)) return Optional.empty();
        String l = netns.substring(0, dot), n = netns.substring(dot + 1);
        if (!LAB_NAME.matcher(l).matches() || !NODE_NAME.matcher(n).matches()) return Optional.empty();
        return Optional.of(new IfRef(l, n)); // (lab, node)
    }

    /**
     * Why {@code name} cannot be an interface name, or empty when it can. Mirrors the kernel's dev_valid_name():
     * 1..15 bytes, not "." or "..", no '/', ':' or whitespace.
     */
    public static Optional<String> ifnameProblem(String name) {
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes == 0) return Optional.of("interface name is empty");
        if (bytes > IFNAME_MAX)
            return Optional.of("interface name '" + name + "' is " + bytes + " bytes, the kernel allows at most " + IFNAME_MAX);
        if (name.equals(".") || name.equals("..")) return Optional.of("interface name '" + name + "' is not allowed");
        for (char c : name.toCharArray()) {
            if (c == '/' || c == ':' || Character.isWhitespace(c))
                return Optional.of("interface name '" + name + "' contains '" + (Character.isWhitespace(c) ? "whitespace" : c) + "'");
        }
        return Optional.empty();
    }
}
