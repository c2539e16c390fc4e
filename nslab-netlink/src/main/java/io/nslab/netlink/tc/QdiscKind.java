package io.nslab.netlink.tc;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a qdisc is: one model per kind nslab configures ({@link Netem}, {@link Tbf}), and
 * {@link Other} for every kind the kernel may report (fq_codel, noqueue, htb, pfifo...),
 * kept as its name and raw TCA_OPTIONS bytes so nothing is lost.
 */
public sealed interface QdiscKind permits Netem, Tbf, QdiscKind.Other {
    /** The kernel's name for the kind (TCA_KIND). */
    String name();

    /** The CONFIG_ option that builds this kind into the kernel, when known. */
    default Optional<String> config() {
        return Optional.ofNullable(switch (name()) {
            case "netem" -> "CONFIG_NET_SCH_NETEM";
            case "tbf" -> "CONFIG_NET_SCH_TBF";
            case "htb" -> "CONFIG_NET_SCH_HTB";
            case "prio" -> "CONFIG_NET_SCH_PRIO";
            case "fq_codel" -> "CONFIG_NET_SCH_FQ_CODEL";
            case "fq" -> "CONFIG_NET_SCH_FQ";
            case "sfq" -> "CONFIG_NET_SCH_SFQ";
            case "pfifo", "bfifo", "pfifo_fast", "noqueue" -> null;
            default -> null;
        });
    }

    /** Any kind, decoded generically: the raw TCA_OPTIONS payload (empty when none). */
    record Other(String name, byte[] options) implements QdiscKind {
        public Other {
            options = options.clone();
        }

        @Override public byte[] options() { return options.clone(); }

        @Override public boolean equals(Object o) {
            return o instanceof Other x && x.name.equals(name) && Arrays.equals(x.options, options);
        }

        @Override public int hashCode() { return name.hashCode() * 31 + Arrays.hashCode(options); }

        @Override public String toString() { return "Other[" + name + ", " + options.length + " option bytes]"; }
    }

    /** A kind with no options (pfifo_fast, noqueue...), for add/del of kinds nslab has no model for. */
    static QdiscKind other(String name) { return new Other(name, new byte[0]); }
}
