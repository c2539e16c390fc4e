package io.nslab.lab.plan;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.util.Optional;

/** One rule of a lab's nftables table in a namespace, in the words of the seeds' iptables commands. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "rule")
@JsonSubTypes({
    @JsonSubTypes.Type(value = NatRule.Masquerade.class, name = "masquerade"),
    @JsonSubTypes.Type(value = NatRule.Publish.class, name = "publish"),
    @JsonSubTypes.Type(value = NatRule.Hairpin.class, name = "hairpin"),
    @JsonSubTypes.Type(value = NatRule.PublishLoopback.class, name = "publish-loopback"),
    @JsonSubTypes.Type(value = NatRule.MasqueradeLoopback.class, name = "masquerade-loopback"),
})
public sealed interface NatRule {
    /** {@code -s SOURCE [! ]-o IFACE -j MASQUERADE}: exactly one of out / notOut. */
    record Masquerade(String source, Optional<String> out, Optional<String> notOut) implements NatRule {}

    /** {@code -p PROTO --dport PORT -j DNAT --to-destination ADDR:TOPORT} (also for local clients), optionally only from {@code in}. */
    record Publish(String proto, int port, String toAddress, int toPort, Optional<String> in) implements NatRule {}

    /**
     * {@code -s ADDR -d ADDR -p PROTO --dport TOPORT -j MASQUERADE}: the target of a published
     * port reaching that port through this node gets this node as source, so the reply comes back
     * through it and is un-NATed.
     */
    record Hairpin(String proto, String toAddress, int toPort) implements NatRule {}

    /**
     * {@code -t nat -A OUTPUT -d 127.0.0.1 -p PROTO --dport PORT -j DNAT --to-destination ADDR:TOPORT}:
     * the port published on 127.0.0.1 too, for clients in this node (needs {@link MasqueradeLoopback}
     * and {@code route_localnet} on the interface toward the target).
     */
    record PublishLoopback(String proto, int port, String toAddress, int toPort) implements NatRule {}

    /** {@code -s 127.0.0.0/8 -o OUT -j MASQUERADE}: a 127.0.0.1 client leaves by OUT as OUT's address. */
    record MasqueradeLoopback(String out) implements NatRule {}
}
