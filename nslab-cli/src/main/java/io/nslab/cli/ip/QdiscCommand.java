package io.nslab.cli.ip;

import io.nslab.netlink.tc.QdiscKind;
import io.nslab.netlink.tc.TcHandle;

import java.util.Optional;

/**
 * One parsed {@code qdisc} command (tc's syntax): {@code add|change|replace|del} with a device,
 * a parent ({@code root} or {@code parent X:Y}), an optional {@code handle X:} and the kind with
 * its options (already turned into the library's model, so bad values fail before any change);
 * or {@code show [dev DEV]}.
 */
public record QdiscCommand(String text, Verb verb, Optional<String> dev, TcHandle parent, TcHandle handle,
                           Optional<QdiscKind> kind) implements IpCommand.Tc {
    public enum Verb { ADD, CHANGE, REPLACE, DEL, SHOW }

    @Override public boolean readOnly() { return verb == Verb.SHOW; }
}
