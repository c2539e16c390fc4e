package io.nslab.lab.plan;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.util.Optional;

/** One rule of a lab's nftables table in a namespace, in the words of the seeds' iptables commands. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "rule")
@JsonSubTypes({
    @JsonSubTypes.Type(value = NatRule.Masquerade.class, name = "masquerade"),
    @JsonSubTypes.Type(value = NatRule.Publish.class, name = "publish"),
})
public sealed interface NatRule {
    /** {@code -s SOURCE [! ]-o IFACE -j MASQUERADE}: exactly one of out / notOut. */
    record Masquerade(String source, Optional<String> out, Optional<String> notOut) implements NatRule {}

    /** {@code -p PROTO --dport PORT -j DNAT --to-destination ADDR:TOPORT} (also for local clients), optionally only from {@code in}. */
    record Publish(String proto, int port, String toAddress, int toPort, Optional<String> in) implements NatRule {}
}
