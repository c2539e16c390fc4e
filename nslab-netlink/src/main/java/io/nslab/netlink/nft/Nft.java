package io.nslab.netlink.nft;

import com.fasterxml.jackson.databind.JsonNode;
import io.nslab.netlink.sys.LibNftables;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * nftables from Java through libnftables' JSON API, without spawning
 * {@code nft}: one libnftables context.
 *
 * <pre>{@code
 * TableRef t = TableRef.ip("nslab-net0");
 * ChainRef post = t.chain("postrouting");
 * try (Nft nft = Nft.open()) {
 *     nft.apply(Transaction.builder()
 *         .replaceTable(t)
 *         .addChain(post, BaseChain.natPostrouting())
 *         .addRule(Recipes.masqueradeSubnet(post, Prefix.parse("172.17.0.0/16"), "docker0"))
 *         .build());                       // one atomic batch
 *     nft.deleteTable(t);                  // only that table; fine if already gone
 * }
 * }</pre>
 *
 * <p>The context's netlink socket is opened by {@link #open()} and stays bound
 * to the network namespace of the thread that called it: to manage another
 * namespace, open the Nft on a thread that has entered it. Calls on one Nft are
 * serialised (libnftables contexts are not thread-safe).
 *
 * <p>Only the typed API guarantees that nothing outside the tables named in a
 * {@link Transaction} is touched; {@link #run(String)} passes any command through.
 */
public final class Nft implements AutoCloseable {
    /** JSON output; libnftables then also accepts JSON input (and still accepts nft syntax). */
    private static final int FLAGS = LibNftables.OUTPUT_JSON;
    private static final int ECHO_FLAGS = LibNftables.OUTPUT_JSON | LibNftables.OUTPUT_ECHO | LibNftables.OUTPUT_HANDLE;

    private static final String LIST_TABLES = "{\"nftables\":[{\"list\":{\"tables\":null}}]}";

    private final LibNftables.Context ctx;

    private Nft(LibNftables.Context ctx) {
        this.ctx = ctx;
    }

    /** True if libnftables.so.1 can be used on this machine. */
    public static boolean isAvailable() {
        return LibNftables.isAvailable();
    }

    /** Why libnftables cannot be used, if it cannot. */
    public static Optional<String> unavailableReason() {
        return LibNftables.unavailableReason();
    }

    /**
     * A new context in the calling thread's network namespace.
     *
     * @throws NftException if libnftables is not installed
     * @throws io.nslab.netlink.sys.ErrnoException if libnftables cannot allocate the context
     */
    public static Nft open() throws IOException {
        Optional<String> why = LibNftables.unavailableReason();
        if (why.isPresent()) throw new NftException("loading libnftables", -1, why.get());
        return new Nft(LibNftables.newContext());
    }

    // ------------------------------------------------------------------ raw commands

    /**
     * Runs one buffer of commands, JSON ({@code {"nftables":[...]}}) or nft
     * syntax, with JSON output: listings come back as JSON text.
     *
     * @return libnftables' output buffer (empty for most changes)
     * @throws NftException with libnftables' error text if it refused
     */
    public String run(String jsonOrText) throws NftException {
        return run(jsonOrText, FLAGS, false);
    }

    /** {@link #run(String)} with the output parsed as JSON (an empty object when there was none). */
    public JsonNode runJson(String jsonOrText) throws NftException {
        return NftJson.parse(run(jsonOrText));
    }

    private String run(String cmd, int flags, boolean dryRun) throws NftException {
        LibNftables.Result r = ctx.run(cmd, flags, dryRun);
        if (!r.ok()) throw new NftException(describe(cmd), r.rc(), r.error());
        return r.output();
    }

    /**
     * libnftables (1.0.6, Debian 12's) keeps the bookkeeping that puts the
     * kernel's handles into echoed JSON in process-wide statics, not in the
     * context: concurrent echo runs on two contexts would share it, and a run
     * that fails leaves entries behind that point at its freed commands and
     * its leaked JSON. The next echo run reads those freed commands (valgrind:
     * invalid reads), can match one by sequence number and then writes its
     * handle into the dead JSON instead of its own output (117 of 1,000
     * applies right after a failed one). Echo runs therefore hold one lock, and
     * a failed one is followed by a harmless successful echo run, whose
     * printing step is where libnftables frees those entries.
     */
    private static final Object ECHO_LOCK = new Object();

    private String runEcho(String cmd) throws NftException {
        synchronized (ECHO_LOCK) {
            LibNftables.Result r = ctx.run(cmd, ECHO_FLAGS, false);
            if (!r.ok()) {
                ctx.run(LIST_TABLES, ECHO_FLAGS, false);
                throw new NftException(describe(cmd), r.rc(), r.error());
            }
            return r.output();
        }
    }

    private static String describe(String cmd) {
        String c = cmd.strip();
        if (c.startsWith("{")) return "nftables JSON batch";
        String oneLine = c.replaceAll("\\s+", " ");
        return "nft " + (oneLine.length() > 160 ? oneLine.substring(0, 160) + "..." : oneLine);
    }

    // ------------------------------------------------------------------ listing

    /** {@code nft -j list ruleset}, as JSON. */
    public JsonNode listRulesetJson() throws NftException {
        return runJson("list ruleset");
    }

    /** {@code list ruleset}, decoded. */
    public Ruleset listRuleset() throws NftException {
        return NftJson.ruleset(listRulesetJson());
    }

    /** Every table, in kernel order. */
    public List<TableRef> listTables() throws NftException {
        return NftJson.ruleset(runJson(LIST_TABLES)).tableRefs();
    }

    public boolean tableExists(TableRef table) throws NftException {
        return listTables().contains(table);
    }

    public boolean tableExists(Family family, String name) throws NftException {
        return tableExists(new TableRef(family, name));
    }

    /** {@code list table FAMILY NAME} as JSON; empty if there is no such table. */
    public Optional<JsonNode> listTableJson(TableRef table) throws NftException {
        String cmd = NftJson.single("list", "table", NftJson.table(table)).toString();
        try {
            return Optional.of(runJson(cmd));
        } catch (NftException e) {
            if (!tableExists(table)) return Optional.empty();
            throw e;
        }
    }

    /** {@code list table FAMILY NAME}, decoded; empty if there is no such table. */
    public Optional<Table> listTable(TableRef table) throws NftException {
        Optional<JsonNode> json = listTableJson(table);
        if (json.isEmpty()) return Optional.empty();
        return NftJson.ruleset(json.get()).table(table);
    }

    public Optional<Table> listTable(Family family, String name) throws NftException {
        return listTable(new TableRef(family, name));
    }

    // ------------------------------------------------------------------ changes

    /**
     * Sends the whole transaction as ONE {@code {"nftables":[...]}} batch: the
     * kernel commits all of it or nothing.
     *
     * @return the handles of the rules added, in transaction order (empty if
     *         this libnftables does not echo them)
     * @throws NftException with libnftables' error text; nothing was changed
     */
    public Applied apply(Transaction tx) throws NftException {
        if (tx.isEmpty()) return new Applied(List.of());
        JsonNode echo = NftJson.parse(runEcho(NftJson.batch(tx).toString()));
        long expected = tx.commands().stream().filter(c -> c instanceof Command.AddRule).count();
        List<Long> handles = new ArrayList<>();
        for (JsonNode item : echo.path("nftables")) {
            JsonNode rule = item.path("add").path("rule");
            if (rule.isObject() && rule.path("handle").canConvertToLong()) handles.add(rule.get("handle").asLong());
        }
        return new Applied(handles.size() == expected ? handles : List.of());
    }

    /**
     * {@link #apply} without asking libnftables to echo the rules back: the
     * same single atomic batch, minus printing and parsing every rule's JSON,
     * for callers that do not need the handles (a whole table rewritten per change).
     *
     * @throws NftException with libnftables' error text; nothing was changed
     */
    public void applyQuiet(Transaction tx) throws NftException {
        if (tx.isEmpty()) return;
        run(NftJson.batch(tx).toString(), FLAGS, false);
    }

    /**
     * Has the kernel check the transaction (libnftables' dry run: the batch is
     * sent, validated, then aborted), so a bad transaction is reported without
     * changing anything.
     */
    public void check(Transaction tx) throws NftException {
        if (tx.isEmpty()) return;
        run(NftJson.batch(tx).toString(), FLAGS, true);
    }

    /**
     * Deletes this one table (with everything in it) if it exists; no error if
     * it does not. Atomic: one batch of {@code add table} + {@code delete table}.
     */
    public void deleteTable(TableRef table) throws NftException {
        run(NftJson.batch(Transaction.builder().deleteTableIfExists(table).build()).toString(), FLAGS, false);
    }

    public void deleteTable(Family family, String name) throws NftException {
        deleteTable(new TableRef(family, name));
    }

    /** Frees the libnftables context; idempotent. */
    @Override
    public void close() {
        ctx.close();
    }
}
