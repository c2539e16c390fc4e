package io.nslab.cli.run;

import io.nslab.netlink.NlRequest;

import java.util.List;

/**
 * A change command turned into requests, ready to send (alone or pipelined
 * with its neighbours in a batch). {@code linksChange}: it adds, renames,
 * moves or deletes links, so name -> index caches must be dropped after it and
 * later commands must not be planned before it has run.
 */
record Planned(String text, List<NlRequest> requests, boolean linksChange) {
    static Planned of(String text, NlRequest r) { return new Planned(text, List.of(r), false); }
}
