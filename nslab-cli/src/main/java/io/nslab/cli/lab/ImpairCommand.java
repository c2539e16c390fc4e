package io.nslab.cli.lab;

import io.nslab.cli.CliException;
import io.nslab.cli.ExitCode;
import io.nslab.lab.engine.LiveLab;
import io.nslab.lab.model.IfRef;
import io.nslab.lab.model.Impair;
import io.nslab.lab.model.KernelNames;
import io.nslab.netlink.netns.NetNs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code nslab impair LAB NODE:IF [delay T] [jitter T] [loss P] [duplicate P] [corrupt P] [reorder P]
 * [rate R] | none}: changes the impairment of a lab's interface while the lab is up (not written to the
 * journal; the next {@code up} puts back the file's). Without settings, shows the current one.
 */
@Command(name = "impair", description = {"Impair (or show) the outgoing traffic of an interface of a lab that is up:",
        "nslab impair LAB NODE:IF [delay T] [jitter T] [loss P] [duplicate P] [corrupt P] [reorder P] [rate R] | none",
        "rate alone is a tbf qdisc; anything else is netem (which the kernel may lack: CONFIG_NET_SCH_NETEM)."})
public final class ImpairCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "LAB", description = "the lab's name (or its file)")
    String lab;

    @Parameters(index = "1", paramLabel = "NODE:IF", description = "the interface")
    String at;

    @Parameters(index = "2..*", paramLabel = "SETTING", description = "key-value words as in the file's impair: (none: remove)")
    List<String> settings = new ArrayList<>();

    @Override public Integer call() throws Exception {
        String name = LabFiles.labName(lab);
        IfRef ref = ifRef("impair", at);
        Impair impair;
        try {
            impair = settings.isEmpty() ? null : Impair.parse(settings);
        } catch (IllegalArgumentException e) {
            throw CliException.usage("impair: " + e.getMessage());
        }
        requireUp("impair", name, ref);
        if (impair == null) {
            Optional<Impair> now = LiveLab.impairment(name, ref);
            spec.commandLine().getOut().println(ref + " " + now.map(i -> i + " (" + i.kindName() + ")").orElse("none"));
            return ExitCode.OK;
        }
        LiveLab.impair(name, ref, impair);
        return ExitCode.OK;
    }

    /** {@code NODE:IF}, else a usage error. */
    static IfRef ifRef(String cmd, String s) throws CliException {
        int c = s.indexOf(':');
        if (c <= 0 || c == s.length() - 1 || s.indexOf(':', c + 1) >= 0 || !KernelNames.NODE_NAME.matcher(s.substring(0, c)).matches())
            throw CliException.usage(cmd + ": \"" + s + "\" is not NODE:IF (e.g. a:eth0)");
        return new IfRef(s.substring(0, c), s.substring(c + 1));
    }

    static void requireUp(String cmd, String lab, IfRef ref) throws CliException {
        String netns = new KernelNames(lab).netns(ref.node());
        if (!NetNs.exists(netns))
            throw CliException.failed(cmd + ": lab " + lab + " has no node " + ref.node() + " up (no netns " + netns + ")");
    }
}
