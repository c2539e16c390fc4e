package io.nslab.cli.lab;

import io.nslab.cli.CliException;
import io.nslab.cli.ExitCode;
import io.nslab.lab.engine.LabEngine;
import io.nslab.lab.host.HostLimits;
import io.nslab.lab.model.Lab;
import io.nslab.lab.plan.Plan;
import io.nslab.lab.plan.Step;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code nslab plan FILE}: what {@code up} would create, change or delete against what is there now. */
@Command(name = "plan", description = "Show what `up` would create (+), change (~) or delete (-) against what the kernel holds now.")
public final class PlanCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Output output;

    @Mixin Instance instance;

    @Parameters(paramLabel = "FILE|LAB", description = "the lab file, or the name of a lab that is up")
    String target;

    @Override public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Lab lab = instance.load(target, spec.commandLine().getErr());
        LabEngine engine = LabEngine.system();
        Plan p = engine.plan(lab);
        HostLimits.Check host = engine.hostLimits(lab);
        Optional<String> lacks = engine.kernelLacks(p);     // what up would refuse for this kernel (no netem)
        if (output.json()) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("lab", lab.name());
            List<Map<String, String>> changes = new ArrayList<>();
            for (Step s : p.removals()) changes.add(Map.of("action", "delete", "step", s.describe()));
            for (Step s : p.steps()) changes.add(Map.of("action", Plan.actionOf(s).word(), "step", s.describe()));
            j.put("changes", changes);
            j.put("unchanged", p.satisfied());
            j.put("clashes", p.clashes());
            j.put("kernel_lacks", lacks.stream().toList());
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("ipv4", host.need().ipv4());
            n.put("ipv6", host.need().ipv6());
            n.put("broadcast_fanout", host.need().fanout());
            n.put("readable", host.readable());
            host.limits().ifPresent(l -> n.put("netdev_max_backlog", l.backlog()));
            host.tables().ifPresent(ts -> ts.forEach(t -> n.put(t.family() + "_limits",
                    Map.of("in_use", t.inUse(), "gc_thresh1", t.thresh1(), "gc_thresh2", t.thresh2(), "gc_thresh3", t.thresh3()))));
            n.put("fits", host.fits());
            n.put("set", host.wanted());
            j.put("host", n);
            out.println(Output.JSON.writeValueAsString(j));
        } else {
            for (Step s : p.removals()) out.println("- " + s.describe());
            for (Step s : p.steps()) out.println(Plan.actionOf(s).sign + " " + s.describe());
            for (String c : p.clashes()) out.println("! " + c);
            lacks.ifPresent(l -> out.println("warning: up would refuse: " + l));
            out.println(host.summary());
            long creates = p.steps().stream().filter(s -> Plan.actionOf(s) == Plan.Action.CREATE).count();
            out.printf("plan %s: %d to create, %d to change, %d to delete, %d unchanged%s%n", lab.name(), creates,
                    p.steps().size() - creates, p.removals().size(), p.satisfied(),
                    p.clashes().isEmpty() ? "" : "; " + p.clashes().size() + " clash(es): up would refuse");
        }
        if (!p.clashes().isEmpty()) throw CliException.failed("plan " + lab.name() + ": objects in the way were not created by this lab");
        return ExitCode.OK;
    }
}
