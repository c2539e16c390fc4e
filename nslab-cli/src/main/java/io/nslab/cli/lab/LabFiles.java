package io.nslab.cli.lab;

import io.nslab.cli.CliException;
import io.nslab.lab.load.LabLoader;
import io.nslab.lab.model.Lab;
import io.nslab.lab.model.Problem;
import io.nslab.lab.validate.Report;
import io.nslab.lab.validate.Validator;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loading a lab file for a command: every problem printed, then a usage error (nothing touched). */
final class LabFiles {
    private LabFiles() {}

    static Lab require(Path file, PrintWriter err) throws CliException {
        if (!Files.isRegularFile(file)) throw CliException.usage(file + ": no such lab file");
        Report r = Validator.check(file);
        if (!r.ok()) {
            for (Problem p : r.problems()) err.println(p);
            throw CliException.usage(file + ": " + r.problems().size() + " problem(s); nothing was changed");
        }
        return r.orThrow();
    }

    /** {@code FILE|LAB}: a lab name, or the name of the lab in FILE (the file need not be valid any more). */
    static String labName(String fileOrLab) throws CliException {
        Path p = Path.of(fileOrLab);
        if (Files.isRegularFile(p)) {
            return LabLoader.load(p).lab().map(Lab::name)
                    .orElseThrow(() -> CliException.usage(fileOrLab + ": cannot read a lab name from it"));
        }
        if (fileOrLab.contains("/")) throw CliException.usage(fileOrLab + ": no such lab file");
        return fileOrLab;
    }
}
