package io.nslab.netlink.route;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What to add or delete: {@code ip addr add LOCAL/LEN [peer P] [broadcast B|+]
 * [label L] [scope S] [metric M] [valid_lft/preferred_lft] [nodad...] dev D}.
 * The device is an index, a name, or both (the name is then only used in
 * error messages); pure request builders need the index, {@code Addresses}
 * resolves a name. Build with {@link #of} and the {@code with*} methods.
 */
public record AddressSpec(OptionalInt index, Optional<String> device, IpPrefix local, Optional<InetAddress> peer,
                          Optional<InetAddress> broadcast, boolean computeBroadcast, Optional<String> label,
                          OptionalInt scope, int flags, OptionalInt metric,
                          OptionalLong validLifetime, OptionalLong preferredLifetime) {
    public AddressSpec {
        Objects.requireNonNull(index);
        Objects.requireNonNull(device);
        Objects.requireNonNull(local);
        Objects.requireNonNull(peer);
        Objects.requireNonNull(broadcast);
        Objects.requireNonNull(label);
        Objects.requireNonNull(scope);
        Objects.requireNonNull(metric);
        Objects.requireNonNull(validLifetime);
        Objects.requireNonNull(preferredLifetime);
        if (index.isEmpty() && device.isEmpty()) throw new IllegalArgumentException("address " + local + ": no device given");
        if (peer.isPresent() && peer.get().getAddress().length != local.address().getAddress().length) {
            throw new IllegalArgumentException("address " + local + ": peer " + IpPrefix.text(peer.get()) + " is of another family");
        }
        if ((broadcast.isPresent() || computeBroadcast) && !local.isIpv4()) {
            throw new IllegalArgumentException("address " + local + ": broadcast is only for IPv4");
        }
        if (label.isPresent() && (label.get().isEmpty() || label.get().getBytes(StandardCharsets.UTF_8).length > 15)) {
            throw new IllegalArgumentException("address " + local + ": label \"" + label.get() + "\" must be 1..15 bytes");
        }
    }

    public static AddressSpec of(int index, IpPrefix local) {
        return new AddressSpec(OptionalInt.of(index), Optional.empty(), local, Optional.empty(), Optional.empty(), false,
                Optional.empty(), OptionalInt.empty(), 0, OptionalInt.empty(), OptionalLong.empty(), OptionalLong.empty());
    }

    public static AddressSpec of(String device, IpPrefix local) {
        return new AddressSpec(OptionalInt.empty(), Optional.of(device), local, Optional.empty(), Optional.empty(), false,
                Optional.empty(), OptionalInt.empty(), 0, OptionalInt.empty(), OptionalLong.empty(), OptionalLong.empty());
    }

    public AddressSpec withIndex(int i) { return new AddressSpec(OptionalInt.of(i), device, local, peer, broadcast, computeBroadcast, label, scope, flags, metric, validLifetime, preferredLifetime); }
    public AddressSpec withDevice(String d) { return new AddressSpec(index, Optional.of(d), local, peer, broadcast, computeBroadcast, label, scope, flags, metric, validLifetime, preferredLifetime); }
    public AddressSpec withPeer(InetAddress p) { return new AddressSpec(index, device, local, Optional.of(p), broadcast, computeBroadcast, label, scope, flags, metric, validLifetime, preferredLifetime); }
    public AddressSpec withBroadcast(InetAddress b) { return new AddressSpec(index, device, local, peer, Optional.of(b), false, label, scope, flags, metric, validLifetime, preferredLifetime); }
    /** {@code broadcast +}: the host bits of the prefix set, computed here as iproute2 does. */
    public AddressSpec withComputedBroadcast() { return new AddressSpec(index, device, local, peer, Optional.empty(), true, label, scope, flags, metric, validLifetime, preferredLifetime); }
    public AddressSpec withLabel(String l) { return new AddressSpec(index, device, local, peer, broadcast, computeBroadcast, Optional.of(l), scope, flags, metric, validLifetime, preferredLifetime); }
    public AddressSpec withScope(int s) { return new AddressSpec(index, device, local, peer, broadcast, computeBroadcast, label, OptionalInt.of(s), flags, metric, validLifetime, preferredLifetime); }
    /** IFA_F_* flags to set, e.g. {@code IFA_F_NODAD | IFA_F_NOPREFIXROUTE}. */
    public AddressSpec withFlags(int f) { return new AddressSpec(index, device, local, peer, broadcast, computeBroadcast, label, scope, f, metric, validLifetime, preferredLifetime); }
    public AddressSpec withMetric(int m) { return new AddressSpec(index, device, local, peer, broadcast, computeBroadcast, label, scope, flags, OptionalInt.of(m), validLifetime, preferredLifetime); }
    /** Lifetimes in seconds ({@link Address#INFINITY} = forever); preferred must not exceed valid. */
    public AddressSpec withLifetimes(long valid, long preferred) {
        if (preferred > valid) throw new IllegalArgumentException("address " + local + ": preferred_lft " + preferred + " is greater than valid_lft " + valid);
        return new AddressSpec(index, device, local, peer, broadcast, computeBroadcast, label, scope, flags, metric, OptionalLong.of(valid), OptionalLong.of(preferred));
    }

    /** The broadcast address to send: given, or computed for {@code broadcast +}. */
    public Optional<InetAddress> effectiveBroadcast() {
        return computeBroadcast ? Optional.of(local.broadcast()) : broadcast;
    }

    /** iproute2's default scope: host for 127.0.0.0/8, global otherwise. */
    public int effectiveScope() {
        if (scope.isPresent()) return scope.getAsInt();
        return local.isIpv4() && (local.address().getAddress()[0] & 0xff) == 127 ? RtConst.RT_SCOPE_HOST : RtConst.RT_SCOPE_UNIVERSE;
    }

    /** {@code dev veth0}, {@code dev #3} when only the index is known. */
    public String deviceText() {
        return "dev " + device.orElseGet(() -> "#" + index.getAsInt());
    }
}
