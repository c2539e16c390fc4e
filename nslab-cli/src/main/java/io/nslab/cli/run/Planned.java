package io.nslab.cli.run;

import io.nslab.netlink.NlRequest;
import io.nslab.netlink.ErrnoException;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A change command turned into requests, ready to send (alone or pipelined
 * with its neighbours in a batch). {@code linksChange}: it adds, renames,
 * moves or deletes links. {@code explain} rewords a kernel error for this
 * command (e.g. a missing kind names its kernel option).
 */
record Planned(String text, List<NlRequest> requests, boolean linksChange, UnaryOperator<ErrnoException> explain) {
    static Planned of(String text, NlRequest r) { return new Planned(text, List.of(r), false, e -> e); }
}
