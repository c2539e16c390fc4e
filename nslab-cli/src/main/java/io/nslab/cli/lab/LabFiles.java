package io.nslab.cli.lab;

import io.nslab.cli.CliException;
import io.nslab.cli.Problems;
import io.nslab.lab.apply.LabDirs;
import io.nslab.lab.load.LabLoader;
import io.nslab.lab.model.KernelNames;
import io.nslab.lab.model.Lab;
import io.nslab.lab.model.Problem;
import io.nslab.lab.validate.Report;
import io.nslab.lab.validate.Validator;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Loading a lab file for a command: every problem printed, then a usage error (nothing touched). */
public final class LabFiles {
    private LabFiles() {}

    static Lab require(Path file, PrintWriter err) throws CliException {
        checkText(file);
        Report r = Validator.check(file);
        if (!r.ok()) {
            for (Problem p : r.problems()) err.println(p);
            throw CliException.usage(file + ": " + r.problems().size() + " problem(s); nothing was changed");
        }
        return r.orThrow();
    }

    /**
     * A lab file nslab can read: an existing regular file of UTF-8 text, else
     * one usage line saying what it is instead (a directory, a binary file);
     * a file it may not read is an environment problem.
     */
    static void checkText(Path file) throws CliException {
        String shown = Problems.oneLine(file.toString());
        if (Files.isDirectory(file)) throw CliException.usage(shown + ": is a directory, not a lab file");
        if (!Files.exists(file)) throw CliException.usage(shown + ": no such lab file");
        if (!Files.isRegularFile(file)) throw CliException.usage(shown + ": not a regular file");
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (AccessDeniedException e) {
            throw Problems.environment(e).orElseThrow();
        } catch (IOException e) {
            throw CliException.usage(shown + ": cannot read it: " + e.getMessage());
        }
        boolean text;
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
            text = true;
            for (byte b : bytes) if (b == 0) { text = false; break; }
        } catch (CharacterCodingException e) {
            text = false;
        }
        if (!text) throw CliException.usage(shown + ": not a text file (a lab file is YAML or JSON in UTF-8)");
    }

    /** A lab name nslab can look up (a name that cannot be a lab's is a usage error, not a search). */
    static String checkLabName(String lab) throws CliException {
        if (!LabDirs.isLabName(lab))
            throw CliException.usage("bad lab name \"" + Problems.oneLine(lab)
                    + "\": a lab file, or a name of letters, digits, '.', '_', '-' (at most 64, starting with a letter or digit)");
        return lab;
    }

    /** {@code FILE|LAB}: a lab name, or the name of the lab in FILE (the file need not be valid any more). */
    public static String labName(String fileOrLab) throws CliException {
        if (fileOrLab.indexOf('\0') >= 0) throw CliException.usage("bad lab name or file \"" + Problems.oneLine(fileOrLab) + "\": contains a NUL byte");
        Path p = Path.of(fileOrLab);
        if (Files.isRegularFile(p)) {
            Optional<String> quick = topLevelName(p);
            if (quick.isPresent()) return quick.get();
            checkText(p);
            return LabLoader.load(p).lab().map(Lab::name)
                    .orElseThrow(() -> CliException.usage(fileOrLab + ": cannot read a lab name from it"));
        }
        if (fileOrLab.contains("/")) {
            if (Files.isDirectory(p)) throw CliException.usage(Problems.oneLine(fileOrLab) + ": is a directory, not a lab file");
            throw CliException.usage(Problems.oneLine(fileOrLab) + ": no such lab file");
        }
        return checkLabName(fileOrLab);
    }

    /** A plain top-level {@code name: LAB} line of a YAML file. */
    private static final Pattern NAME_LINE =
            Pattern.compile("^name:[ \\t]*(['\"]?)([A-Za-z0-9_-]+)\\1[ \\t]*(#.*)?$");

    /**
     * The lab name read from the one top-level {@code name:} line, without
     * parsing the whole file (`down` of a 1000-node lab need not load 1000
     * nodes); empty when the file is not that simple (JSON, flow style, no
     * or several such lines, a block scalar): then the loader decides.
     */
    static Optional<String> topLevelName(Path file) {
        try (var lines = Files.lines(file)) {
            List<String> found = new ArrayList<>();
            int[] odd = {0};
            lines.forEach(l -> {
                if (l.startsWith("{") || l.startsWith("---") || l.startsWith("...")) odd[0]++;
                if (l.startsWith("name:")) {
                    var m = NAME_LINE.matcher(l);
                    if (m.matches() && KernelNames.LAB_NAME.matcher(m.group(2)).matches()) found.add(m.group(2));
                    else odd[0]++;
                }
            });
            return odd[0] == 0 && found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }
}
