package io.nslab.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The write-ahead journal of one network: {@code NAME.journal} beside
 * {@code NAME.json} in the store's directory. Before each kernel change a
 * command appends one JSON line naming what it is about to make or remove
 * (forced to storage); once the store holds the new state the file is
 * deleted. A file that exists when a command takes the store's lock is
 * therefore the trace of a command that died half way; {@link NetEngine}
 * finishes or undoes it before anything else (see docs/networks.md,
 * "Journal").
 *
 * <p>Lines ({@code op} is the command, {@code step} what comes next):
 * <pre>
 * {"op":"create","network":"web","step":"sysctl","hostNs":null,"key":"net.ipv4.ip_forward","previous":"0","spec":{...}}
 * {"op":"create","network":"web","step":"bridge","hostNs":null,"link":"nsl-web","spec":{...}}
 * {"op":"create","network":"web","step":"table","hostNs":null,"spec":{...}}
 * {"op":"connect","network":"web","ns":"a","step":"veth","hostNs":null,"link":"nsl1a2b3c4d","address":"10.0.0.2"}
 * {"op":"connect","network":"web","ns":"a","step":"elements","hostNs":null,"link":"nsl1a2b3c4d","address":"10.0.0.2"}
 * {"op":"disconnect","network":"web","ns":"a","step":"detach","hostNs":null,"link":"nsl1a2b3c4d"}
 * {"op":"rm","network":"web","step":"remove","hostNs":null}
 * </pre>
 * {@code spec} is the network being created, as its state file would hold it.
 */
final class NetJournal {
    static final String SUFFIX = ".journal";
    static final ObjectMapper JSON = new ObjectMapper();

    private final String network;
    private final JournalFile file;
    private final Trace trace;

    NetJournal(Path dir, String network, Trace trace) {
        this.network = network;
        this.file = new JournalFile(dir.resolve(network + SUFFIX));
        this.trace = trace;
    }

    String network() {
        return network;
    }

    Path path() {
        return file.path();
    }

    /** A line for {@code op} on this network; the caller adds the step and what it names. */
    ObjectNode entry(String op) {
        ObjectNode o = JSON.createObjectNode();
        o.put("op", op);
        o.put("network", network);
        return o;
    }

    /** Durably records that {@code step} is about to be made. */
    void intend(ObjectNode entry, String step) throws NetException {
        ObjectNode e = entry.deepCopy();
        // "step" right after op/network/ns, for a reader of the file
        ObjectNode line = JSON.createObjectNode();
        line.set("op", e.remove("op"));
        line.set("network", e.remove("network"));
        if (e.has("ns")) line.set("ns", e.remove("ns"));
        line.put("step", step);
        line.setAll(e);
        trace.at("journal " + step);
        try {
            file.append(List.of(JSON.writeValueAsString(line)));
        } catch (IOException ex) {
            throw new NetException("network " + network + ": cannot write its journal " + file.path() + ": " + ex.getMessage(), ex);
        }
        trace.at("journaled " + step);
    }

    /** The command is complete (or completely undone): the journal goes. */
    void clear() throws NetException {
        trace.at("clear journal");
        try {
            file.clear();
        } catch (IOException ex) {
            throw new NetException("network " + network + ": cannot remove its journal " + file.path() + ": " + ex.getMessage(), ex);
        }
    }

    /** The lines written so far, oldest first; reading stops at a line that does not parse (cut short). */
    List<JsonNode> entries() throws NetException {
        List<JsonNode> out = new ArrayList<>();
        try {
            for (String l : file.lines()) {
                JsonNode n;
                try {
                    n = JSON.readTree(l);
                } catch (IOException torn) {
                    break;
                }
                if (n == null || !n.isObject() || !n.path("op").isTextual()) break;
                out.add(n);
            }
        } catch (IOException ex) {
            throw new NetException("network " + network + ": cannot read its journal " + file.path() + ": " + ex.getMessage(), ex);
        }
        return out;
    }

    /** The networks whose journal is in {@code dir}: commands that did not finish. */
    static List<String> pending(Path dir) throws NetException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(f -> f.endsWith(SUFFIX) && !f.startsWith("."))
                    .map(f -> f.substring(0, f.length() - SUFFIX.length()))
                    .filter(n -> NetStore.NAME.matcher(n).matches())
                    .sorted().toList();
        } catch (IOException e) {
            throw new NetException("network store " + dir + ": " + e.getMessage(), e);
        }
    }
}
