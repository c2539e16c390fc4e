package io.nslab.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.nslab.state.CorruptJournalException;
import io.nslab.state.JournalFile;
import io.nslab.state.StateDir;
import io.nslab.state.StateException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The write-ahead journal of one network: {@code NAME.journal} beside
 * {@code NAME.json} in the store's directory. Before each kernel change a
 * command appends one JSON line naming what it is about to make or remove
 * (forced to storage; a {@link JournalFile}: {@code 0600}, each line with
 * its CRC-32C); once the store holds the new state the file is
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

    /** A journal holds a handful of lines: anything near this is not nslab's. */
    static final long LIMIT = 1L << 20;

    private final NetStore store;
    private final String network;
    private final String name;
    private final Trace trace;

    NetJournal(NetStore store, String network, Trace trace) {
        this.store = store;
        this.network = network;
        this.name = network + SUFFIX;
        this.trace = trace;
    }

    String network() {
        return network;
    }

    Path path() {
        return store.dir().resolve(name);
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
        try (StateDir dir = store.open(); JournalFile file = JournalFile.open(dir, name, LIMIT)) {
            file.append(List.of(JSON.writeValueAsString(line)));
        } catch (IOException ex) {
            throw new NetException("network " + network + ": cannot write its journal: " + ex.getMessage(), ex);
        }
        trace.at("journaled " + step);
    }

    /** The command is complete (or completely undone): the journal goes. */
    void clear() throws NetException {
        trace.at("clear journal");
        try (StateDir dir = store.open()) {
            dir.delete(name);
            dir.sync();
        } catch (StateException ex) {
            throw new NetException("network " + network + ": cannot remove its journal: " + ex.getMessage(), ex);
        }
    }

    /**
     * The lines written so far, oldest first (a last line cut short is
     * dropped); a line that fails its checksum or is not an entry makes the
     * journal corrupt: nslab acts on none of it.
     */
    List<JsonNode> entries() throws NetException {
        List<JsonNode> out = new ArrayList<>();
        try (StateDir dir = store.open()) {
            List<String> records = JournalFile.read(dir, name, LIMIT);
            for (int i = 0; i < records.size(); i++) {
                JsonNode n;
                try {
                    n = JSON.readTree(records.get(i));
                } catch (IOException bad) {
                    n = null;
                }
                if (n == null || !n.isObject() || !n.path("op").isTextual() || !n.path("network").asText().equals(network))
                    throw new CorruptJournalException(path().toString(), i + 1, "not a journal entry of network " + network);
                out.add(n);
            }
        } catch (StateException ex) {
            throw new NetException("network " + network + ": cannot use its journal: " + ex.getMessage(), ex);
        }
        return out;
    }

    /** The networks whose journal is in {@code dir}: commands that did not finish. */
    static List<String> pending(NetStore store) throws NetException {
        if (!Files.exists(store.dir(), LinkOption.NOFOLLOW_LINKS)) return List.of();
        try (StateDir dir = store.open()) {
            return dir.list().stream()
                    .filter(f -> f.endsWith(SUFFIX) && !f.startsWith("."))
                    .map(f -> f.substring(0, f.length() - SUFFIX.length()))
                    .filter(n -> NetStore.NAME.matcher(n).matches())
                    .sorted().toList();
        } catch (StateException e) {
            throw new NetException("network store: " + e.getMessage(), e);
        }
    }
}
