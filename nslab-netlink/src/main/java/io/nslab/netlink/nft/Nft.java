package io.nslab.netlink.nft;

import io.nslab.netlink.NlRequest;
import io.nslab.netlink.NlSocket;
import io.nslab.netlink.nft.wire.NftDumps;
import io.nslab.netlink.nft.wire.NftMessages;
import io.nslab.netlink.nft.wire.NftMessages.SetDecl;
import io.nslab.netlink.nft.wire.SetTypes;
import io.nslab.netlink.Errno;
import io.nslab.netlink.ErrnoException;
import io.nslab.netlink.wire.Netlink;
import io.nslab.netlink.wire.NlMessage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.nslab.netlink.nft.wire.NftConst.*;

/**
 * nftables from Java over netlink (NETLINK_NETFILTER, the nf_tables
 * subsystem), as {@code nft} itself talks to the kernel: no C library, no
 * process. One socket.
 *
 * <pre>{@code
 * TableRef t = TableRef.ip("nslab-net0");
 * ChainRef post = t.chain("postrouting");
 * try (Nft nft = Nft.open()) {
 *     nft.apply(Transaction.builder()
 *         .replaceTable(t)
 *         .addChain(post, BaseChain.natPostrouting())
 *         .addRule(Recipes.masqueradeSubnet(post, IpPrefix.parse("172.17.0.0/16"), "docker0"))
 *         .build());                       // one atomic batch
 *     nft.deleteTable(t);                  // only that table; fine if already gone
 * }
 * }</pre>
 *
 * <p>The socket is opened by {@link #open()} and stays bound to the network
 * namespace of the thread that called it: to manage another namespace, open
 * the Nft on a thread that has entered it. Not thread-safe.
 *
 * <p>Only tables named in a {@link Transaction} are touched: there is no
 * command that reaches beyond one table.
 */
public final class Nft implements AutoCloseable {
    private final NlSocket socket;
    /** Key and data types of maps whose elements change, so an element change needs no listing first. */
    private final Map<SetRef, SetDecl> mapTypes = new HashMap<>();

    private Nft(NlSocket socket) {
        this.socket = socket;
    }

    /**
     * A socket in the calling thread's network namespace.
     *
     * @throws NftException if the kernel has no nfnetlink (CONFIG_NETFILTER_NETLINK)
     */
    public static Nft open() throws NftException {
        try {
            return new Nft(NlSocket.open(Netlink.NETLINK_NETFILTER));
        } catch (ErrnoException e) {
            throw new NftException(e, e.is(Errno.EPROTONOSUPPORT) ? Optional.of("CONFIG_NETFILTER_NETLINK, CONFIG_NF_TABLES") : Optional.empty());
        }
    }

    // ------------------------------------------------------------------ changes

    /**
     * Sends the whole transaction as ONE nfnetlink batch: the kernel commits
     * all of it or nothing.
     *
     * @return the kernel handles of the rules added, in transaction order
     * @throws NftException naming the refused command; nothing was changed
     */
    public Applied apply(Transaction tx) throws NftException {
        if (tx.isEmpty()) return new Applied(List.of());
        List<NlMessage> echoes = send(tx, true, true);
        List<Long> handles = new ArrayList<>();
        for (NlMessage m : echoes) {
            if (m.type() != type(NFT_MSG_NEWRULE)) continue;
            NftDumps.rule(m).ifPresent(r -> handles.add(r.handle()));
        }
        long expected = tx.commands().stream().filter(c -> c instanceof Command.AddRule).count();
        return new Applied(handles.size() == expected ? handles : List.of());
    }

    /** {@link #apply} without asking the kernel to echo the rules back: the same single atomic batch. */
    public void applyQuiet(Transaction tx) throws NftException {
        if (tx.isEmpty()) return;
        send(tx, false, true);
    }

    /**
     * Has the kernel check the transaction: the batch is sent without its end
     * marker, so the kernel validates every message, then aborts.
     *
     * @throws NftException what the kernel would refuse; nothing was changed either way
     */
    public void check(Transaction tx) throws NftException {
        if (tx.isEmpty()) return;
        send(tx, false, false);
    }

    /** Deletes this one table (with everything in it) if it exists; no error if it does not. Atomic. */
    public void deleteTable(TableRef table) throws NftException {
        applyQuiet(Transaction.builder().deleteTableIfExists(table).build());
    }

    public void deleteTable(Family family, String name) throws NftException {
        deleteTable(new TableRef(family, name));
    }

    private List<NlMessage> send(Transaction tx, boolean echo, boolean commit) throws NftException {
        List<Command> cmds = tx.commands();
        List<NlRequest> body = new ArrayList<>(cmds.size());
        Map<SetRef, SetDecl> declared = new HashMap<>();
        int setId = 0;
        for (Command c : cmds) {
            if (c instanceof Command.AddMap m) declared.put(m.map(), new SetDecl(SetTypes.parseAll(m.keyType()),
                    Optional.of(List.of(SetTypes.parse(m.dataType())))));
            if (c instanceof Command.DeleteTable d) mapTypes.keySet().removeIf(s -> s.table().equals(d.table()));
            NlRequest r = NftMessages.command(c, c instanceof Command.AddMap ? ++setId : 0, s -> types(s, declared));
            if (echo && c instanceof Command.AddRule) r = r.withFlags(Netlink.NLM_F_ECHO);
            body.add(r);
        }
        try {
            List<NlMessage> out = socket.batch(NftMessages.batchBegin(), body, commit ? NftMessages.batchEnd() : null);
            if (commit) mapTypes.putAll(declared);
            return out;
        } catch (NlSocket.BatchError e) {
            for (TableRef t : tx.tables()) mapTypes.keySet().removeIf(s -> s.table().equals(t));
            Optional<String> options = e.index() < 0 ? subsystemOptions(e) : KernelOptions.of(cmds.get(e.index()), e.errno());
            throw new NftException(e, options);
        } catch (ErrnoException e) {
            throw new NftException(e, Optional.empty());
        }
    }

    private static Optional<String> subsystemOptions(ErrnoException e) {
        return e.is(Errno.EOPNOTSUPP, Errno.ENOENT) ? Optional.of("CONFIG_NF_TABLES") : Optional.empty();
    }

    /** A map's types: declared earlier in this transaction, remembered, or listed from the kernel. */
    private Optional<SetDecl> types(SetRef s, Map<SetRef, SetDecl> declared) {
        SetDecl d = declared.get(s);
        if (d != null) return Optional.of(d);
        d = mapTypes.get(s);
        if (d != null) return Optional.of(d);
        try {
            for (NlMessage m : socket.dump(NftMessages.dump(NFT_MSG_GETSET, Optional.of(s.table())))) {
                Optional<NftDumps.ListedSet> l = NftDumps.set(m);
                if (l.isPresent() && l.get().ref().equals(s)) {
                    l.get().decl().ifPresent(x -> mapTypes.put(s, x));
                    return l.get().decl();
                }
            }
        } catch (ErrnoException e) {
            return Optional.empty();   // no such table: the element change is refused as a missing map
        }
        return Optional.empty();
    }

    // ------------------------------------------------------------------ listing

    /** Every table, in kernel order. */
    public List<TableRef> listTables() throws NftException {
        List<TableRef> out = new ArrayList<>();
        for (NlMessage m : dump(NftMessages.dump(NFT_MSG_GETTABLE, Optional.empty()))) NftDumps.table(m).ifPresent(t -> out.add(t.ref()));
        return out;
    }

    public boolean tableExists(TableRef table) throws NftException {
        return listTables().contains(table);
    }

    public boolean tableExists(Family family, String name) throws NftException {
        return tableExists(new TableRef(family, name));
    }

    /** One table with its sets, maps and chains, as the kernel holds it; empty if there is no such table. */
    public Optional<Table> listTable(TableRef table) throws NftException {
        Optional<NftDumps.ListedTable> t = Optional.empty();
        for (NlMessage m : dump(NftMessages.dump(NFT_MSG_GETTABLE, Optional.of(table)))) {
            Optional<NftDumps.ListedTable> x = NftDumps.table(m);
            if (x.isPresent() && x.get().ref().equals(table)) t = x;
        }
        if (t.isEmpty()) return Optional.empty();
        return Optional.of(assemble(t.get(), Optional.of(table)));
    }

    public Optional<Table> listTable(Family family, String name) throws NftException {
        return listTable(new TableRef(family, name));
    }

    /** Every table with its contents ({@code nft list ruleset}). */
    public Ruleset listRuleset() throws NftException {
        List<Table> out = new ArrayList<>();
        for (NlMessage m : dump(NftMessages.dump(NFT_MSG_GETTABLE, Optional.empty()))) {
            Optional<NftDumps.ListedTable> t = NftDumps.table(m);
            if (t.isPresent()) out.add(assemble(t.get(), Optional.of(t.get().ref())));
        }
        return new Ruleset(out);
    }

    /** {@code nft list table FAMILY NAME}: the table in nft's own syntax, rendered from the kernel's dump. */
    public Optional<String> listTableText(TableRef table) throws NftException {
        return listTable(table).map(NftText::table);
    }

    private Table assemble(NftDumps.ListedTable t, Optional<TableRef> filter) throws NftException {
        TableRef ref = t.ref();
        List<NamedSet> sets = new ArrayList<>();
        for (NlMessage m : dump(NftMessages.dump(NFT_MSG_GETSET, filter))) {
            Optional<NftDumps.ListedSet> s = NftDumps.set(m);
            if (s.isEmpty() || !s.get().ref().table().equals(ref)) continue;
            Optional<SetDecl> decl = s.get().decl();
            List<MapElement> elements = new ArrayList<>();
            if (decl.isPresent() && decl.get().data().isPresent()) {
                for (NlMessage e : dump(NftMessages.dumpElements(s.get().ref()))) elements.addAll(NftDumps.elements(e, decl.get()));
            }
            sets.add(new NamedSet(s.get().ref(), s.get().handle(),
                    decl.map(d -> SetTypes.names(d.key())).orElse(List.of()),
                    decl.flatMap(SetDecl::data).map(d -> String.join(" . ", SetTypes.names(d))), elements));
        }
        Map<ChainRef, NftDumps.ListedChain> chains = new LinkedHashMap<>();
        for (NlMessage m : dump(NftMessages.dump(NFT_MSG_GETCHAIN, filter))) {
            NftDumps.chain(m).filter(c -> c.ref().table().equals(ref)).ifPresent(c -> chains.put(c.ref(), c));
        }
        Map<ChainRef, List<ListedRule>> rules = new HashMap<>();
        for (NlMessage m : dump(NftMessages.dump(NFT_MSG_GETRULE, filter))) {
            Optional<NftDumps.KernelRule> r = NftDumps.rule(m);
            if (r.isPresent() && r.get().chain().table().equals(ref)) rules.computeIfAbsent(r.get().chain(), k -> new ArrayList<>()).add(r.get().lift());
        }
        List<Chain> out = new ArrayList<>();
        for (NftDumps.ListedChain c : chains.values()) out.add(new Chain(c.ref(), c.handle(), c.base(), rules.getOrDefault(c.ref(), List.of())));
        return new Table(ref, t.handle(), sets, out);
    }

    private List<NlMessage> dump(NlRequest r) throws NftException {
        try {
            return socket.dump(r);
        } catch (ErrnoException e) {
            throw new NftException(e, e.is(Errno.EOPNOTSUPP) ? Optional.of("CONFIG_NF_TABLES") : Optional.empty());
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
