package io.nslab.netlink.route;

import io.nslab.netlink.wire.Attrs;

/** What a link is as a port of its master (IFLA_INFO_SLAVE_KIND / SLAVE_DATA). */
public sealed interface LinkSlave {
    String kind();

    /** A bridge port; {@code state} is BR_STATE_* (0 disabled, 1 listening, 2 learning, 3 forwarding, 4 blocking). */
    record BridgePort(int state, int priority, int cost, boolean learning, boolean unicastFlood, boolean isolated,
                      Attrs data) implements LinkSlave {
        @Override public String kind() { return "bridge"; }

        /** Hairpin mode ({@code IFLA_BRPORT_MODE}): frames may leave by the port they came in by. */
        public boolean hairpin() { return data.u8(LinkConst.IFLA_BRPORT_MODE).orElse(0) == 1; }

        public String stateName() {
            return switch (state) {
                case 0 -> "disabled";
                case 1 -> "listening";
                case 2 -> "learning";
                case 3 -> "forwarding";
                case 4 -> "blocking";
                default -> "state" + state;
            };
        }
    }

    record Other(String kind, Attrs data) implements LinkSlave {}
}
