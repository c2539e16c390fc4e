package io.nslab.cli.ip;

import io.nslab.cli.CliException;
import io.nslab.cli.ip.IpCommand.NetnsAdd;
import io.nslab.cli.ip.IpCommand.NetnsAttach;
import io.nslab.cli.ip.IpCommand.NetnsDel;
import io.nslab.cli.ip.IpCommand.NetnsExec;
import io.nslab.cli.ip.IpCommand.NetnsIdentify;
import io.nslab.cli.ip.IpCommand.NetnsList;
import io.nslab.cli.ip.IpCommand.NetnsListId;
import io.nslab.cli.ip.IpCommand.NetnsPids;
import io.nslab.cli.ip.IpCommand.NetnsSet;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** {@code netns add|attach|delete|list|exec|identify|pids|set}. */
final class NetnsParser {
    private NetnsParser() {}

    /**
     * "(id: N)" after a name, as {@code ip netns list} prints it: scripts feed that output back
     * ({@code ip netns list | xargs -n3 ip netns del}); ip ignores the words, nslab accepts exactly these.
     */
    private static void idSuffix(Args a) {
        if (a.hasNext() && a.peek().equals("(id:")) {
            a.next();
            if (a.hasNext() && a.peek().matches("\\d+\\)")) a.next();
        }
    }

    static IpCommand parse(Args a) throws CliException {
        if (!a.hasNext()) return new NetnsList(a.text());
        String v = a.next();
        if (v.equals("list-id")) {
            // ip compares it whole, before "list"'s prefixes
            if (a.hasNext() && (a.peek().equals("target-nsid") || a.peek().equals("nsid"))) throw a.unsupported(a.peek());
            a.noMore();
            return new NetnsListId(a.text());
        }
        // as ip: "ls" and "s" are list too (prefixes of lst and show, which ip tries before set)
        if (Args.matches(v, "list") || Args.matches(v, "show") || Args.matches(v, "lst")) {
            a.noMore();
            return new NetnsList(a.text());
        }
        if (Args.matches(v, "add")) {
            String n = Names.netns(a, a.value("add"));
            a.noMore();
            return new NetnsAdd(a.text(), n);
        }
        if (Args.matches(v, "delete")) {
            String n = Names.netns(a, a.value("delete"));
            idSuffix(a);
            a.noMore();
            return new NetnsDel(a.text(), n);
        }
        if (Args.matches(v, "exec")) {
            String n = Names.netns(a, a.value("exec"));
            List<String> cmd = a.rest();
            if (cmd.isEmpty()) throw a.rejected("no command given to run in namespace \"" + n + "\"");
            return new NetnsExec(a.text(), n, cmd);
        }
        if (Args.matches(v, "identify")) {
            Optional<Long> pid = Optional.empty();
            if (a.hasNext()) {
                String p = a.next();
                try {
                    pid = Optional.of(Long.parseLong(p));
                } catch (NumberFormatException e) {
                    throw a.rejected("invalid pid \"" + p + "\"");
                }
            }
            a.noMore();
            return new NetnsIdentify(a.text(), pid);
        }
        if (Args.matches(v, "pids")) {
            String n = Names.netns(a, a.value("pids"));
            idSuffix(a);
            a.noMore();
            return new NetnsPids(a.text(), n);
        }
        if (Args.matches(v, "set")) {
            String n = Names.netns(a, a.value("set"));
            String id = a.value(n);
            OptionalInt nsid = id.equals("auto") ? OptionalInt.empty() : OptionalInt.of(a.parseInt("nsid", id, 0, Integer.MAX_VALUE));
            a.noMore();
            return new NetnsSet(a.text(), n, nsid);
        }
        if (Args.matches(v, "attach")) {
            // ipnetns.c: both words or "No netns name and PID specified" (status 1), a PID or "Invalid PID"
            if (!a.hasNext()) throw a.rejected("No netns name and PID specified");
            String n = Names.netns(a, a.next());
            if (!a.hasNext()) throw a.rejected("No netns name and PID specified");
            String p = a.next();
            long pid;
            try {
                pid = Long.parseLong(p);
            } catch (NumberFormatException e) {
                throw a.rejected("Invalid PID: " + p);
            }
            a.noMore();
            return new NetnsAttach(a.text(), n, pid);
        }
        if (Args.matches(v, "monitor")) throw a.unsupported(v);
        throw a.error("unknown command \"" + v + "\" (add, attach, delete, list, exec, identify, pids, set)");
    }
}
