package io.nslab.cli.lab;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The lab commands, for registration in {@code Main.NSLAB_COMMANDS}:
 * {@code NSLAB_COMMANDS.addAll(LabCommands.ALL)} or one entry each.
 */
public final class LabCommands {
    private LabCommands() {}

    public static final List<Map.Entry<String, Supplier<Object>>> ALL = List.of(
            Map.entry("validate", ValidateCommand::new),
            Map.entry("plan", PlanCommand::new),
            Map.entry("up", UpCommand::new),
            Map.entry("down", DownCommand::new),
            Map.entry("status", StatusCommand::new),
            Map.entry("exec", ExecCommand::new),
            Map.entry("impair", ImpairCommand::new),
            Map.entry("link-state", LinkStateCommand::new),
            Map.entry("verify", VerifyCommand::new),
            Map.entry("graph", GraphCommand::new),
            Map.entry("demo", DemoCommand::new));
}
