package io.nslab.cli.lab;

import io.nslab.cli.CliException;
import io.nslab.cli.Problems;
import io.nslab.lab.engine.LabEngine;
import io.nslab.lab.engine.LabStatus;
import io.nslab.lab.model.KernelNames;
import io.nslab.lab.model.Lab;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code --name NAME}: an instance of a lab file beside the file's own lab. Every kernel name derives from the
 * lab name, so a second copy differs in its namespaces ({@code NAME.NODE}) and state directory only; and the lab
 * of a command is found by its file or by its name (the file an instance came from is in its state).
 */
final class Instance {
    @Option(names = "--name", paramLabel = "NAME",
            description = "the instance: a second copy of the file's lab under this name (1-32 letters, digits, '-', '_')")
    String name;

    /** The lab of {@code file}, renamed when {@code --name} was given. */
    Lab of(Lab lab) throws CliException {
        if (name == null) return lab;
        if (!KernelNames.LAB_NAME.matcher(name).matches())
            throw CliException.usage("--name \"" + Problems.oneLine(name) + "\": an instance name is 1-32 letters, digits, '-' or '_', starting with a letter or digit");
        return lab.named(name);
    }

    /**
     * {@code FILE|LAB}: the lab of a file (renamed by {@code --name}), or the lab named LAB as it is up, read
     * again from the file it was brought up from.
     */
    Lab load(String fileOrLab, PrintWriter err) throws CliException, IOException {
        Path p = Path.of(fileOrLab);
        if (Files.isRegularFile(p) || fileOrLab.contains("/")) return of(LabFiles.require(p, err));
        String lab = LabFiles.checkLabName(fileOrLab);
        LabStatus s = LabEngine.system().status(lab);
        Path file = s.file().map(Path::of).orElseThrow(() -> CliException.failed(
                "lab " + lab + " is not up here (no state, or brought up without a file); give its file"));
        if (name != null && !name.equals(lab)) throw CliException.usage("--name " + name + " names another lab than " + lab);
        return LabFiles.require(file, err).named(lab);
    }

    /**
     * Refuses to take over a lab of the same name brought up from another file: the instance name is taken.
     * (Without {@code --name} an edited or moved file is the same lab, as it always was.)
     */
    void refuseTaken(Lab lab, Path file) throws CliException, IOException {
        if (name == null) return;
        Optional<String> from = LabEngine.system().status(lab.name()).file();
        if (from.isPresent() && !Path.of(from.get()).equals(file.toAbsolutePath()))
            throw CliException.failed("up " + lab.name() + ": the name is taken by an instance of " + from.get()
                    + "; choose another --name, or nslab down " + lab.name() + " first");
    }
}
