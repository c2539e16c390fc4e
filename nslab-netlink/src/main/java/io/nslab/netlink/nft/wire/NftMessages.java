package io.nslab.netlink.nft.wire;

import io.nslab.netlink.NlRequest;
import io.nslab.netlink.nft.BaseChain;
import io.nslab.netlink.nft.ChainRef;
import io.nslab.netlink.nft.Command;
import io.nslab.netlink.nft.Expr;
import io.nslab.netlink.nft.Family;
import io.nslab.netlink.nft.Hook;
import io.nslab.netlink.nft.MapElement;
import io.nslab.netlink.nft.Policy;
import io.nslab.netlink.nft.Rule;
import io.nslab.netlink.nft.SetRef;
import io.nslab.netlink.nft.TableRef;
import io.nslab.netlink.nft.expr.Be;
import io.nslab.netlink.nft.expr.Data;
import io.nslab.netlink.nft.expr.NfData;
import io.nslab.netlink.nft.expr.NfExprs;
import io.nslab.netlink.wire.NlWriter;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static io.nslab.netlink.nft.wire.NftConst.*;
import static io.nslab.netlink.wire.Netlink.NLM_F_APPEND;
import static io.nslab.netlink.wire.Netlink.NLM_F_CREATE;

/**
 * nslab's nftables commands as nf_tables messages (the body after nlmsghdr:
 * nfgenmsg, then attributes), and the requests of a listing. Pure.
 *
 * <pre>
 * struct nfgenmsg { u8 nfgen_family; u8 version (NFNETLINK_V0); be16 res_id; }
 * batch:  NFNL_MSG_BATCH_BEGIN (res_id = NFNL_SUBSYS_NFTABLES) | messages | NFNL_MSG_BATCH_END
 * </pre>
 */
public final class NftMessages {
    private NftMessages() {}

    /** Looks up the types of a map that the transaction itself does not declare. */
    public interface MapTypes {
        Optional<SetDecl> of(SetRef map);
    }

    /** A set's key and data types, as declared or as the kernel lists them. */
    public record SetDecl(List<SetTypes.Type> key, Optional<List<SetTypes.Type>> data) {}

    public static int nfproto(Family f) {
        return switch (f) {
            case IP -> NFPROTO_IPV4;
            case IP6 -> NFPROTO_IPV6;
            case INET -> NFPROTO_INET;
            case ARP -> NFPROTO_ARP;
            case BRIDGE -> NFPROTO_BRIDGE;
            case NETDEV -> NFPROTO_NETDEV;
        };
    }

    public static Optional<Family> family(int nfproto) {
        for (Family f : Family.values()) if (nfproto(f) == nfproto) return Optional.of(f);
        return Optional.empty();
    }

    private static NlWriter header(int family) {
        NlWriter w = new NlWriter(256);
        w.u8(family).u8(NFNETLINK_V0).u16(0);
        return w;
    }

    public static NlRequest batchBegin() {
        NlWriter w = new NlWriter(8);
        w.u8(NFPROTO_UNSPEC).u8(NFNETLINK_V0).u8(0).u8(NFNL_SUBSYS_NFTABLES);   // res_id is big-endian
        return new NlRequest(NFNL_MSG_BATCH_BEGIN, 0, w.toByteArray(), "nftables batch begin");
    }

    public static NlRequest batchEnd() {
        NlWriter w = new NlWriter(8);
        w.u8(NFPROTO_UNSPEC).u8(NFNETLINK_V0).u8(0).u8(NFNL_SUBSYS_NFTABLES);
        return new NlRequest(NFNL_MSG_BATCH_END, 0, w.toByteArray(), "nftables batch end");
    }

    /**
     * One command as its message. {@code setId} numbers the sets the batch
     * creates (NFTA_SET_ID), {@code types} gives the key and data types of maps
     * whose elements change.
     */
    public static NlRequest command(Command c, int setId, MapTypes types) {
        return switch (c) {
            // no NLM_F_CREATE, as nft: the kernel creates a missing table anyway, and leaves an existing one as it is
            case Command.AddTable(TableRef t) -> table(NFT_MSG_NEWTABLE, 0, t, "add table " + t);
            case Command.DeleteTable(TableRef t) -> table(NFT_MSG_DELTABLE, 0, t, "delete table " + t);
            case Command.FlushTable(TableRef t) -> {
                // a DELRULE naming only the table deletes every rule of it
                NlWriter w = header(nfproto(t.family()));
                w.attrString(NFTA_RULE_TABLE, t.name());
                yield new NlRequest(type(NFT_MSG_DELRULE), 0, w.toByteArray(), "flush table " + t);
            }
            case Command.AddChain(ChainRef ch, Optional<BaseChain> base) -> addChain(ch, base);
            case Command.FlushChain(ChainRef ch) -> {
                NlWriter w = header(nfproto(ch.table().family()));
                w.attrString(NFTA_RULE_TABLE, ch.table().name());
                w.attrString(NFTA_RULE_CHAIN, ch.name());
                yield new NlRequest(type(NFT_MSG_DELRULE), 0, w.toByteArray(), "flush chain " + ch);
            }
            case Command.DeleteChain(ChainRef ch) -> {
                NlWriter w = header(nfproto(ch.table().family()));
                w.attrString(NFTA_CHAIN_TABLE, ch.table().name());
                w.attrString(NFTA_CHAIN_NAME, ch.name());
                yield new NlRequest(type(NFT_MSG_DELCHAIN), 0, w.toByteArray(), "delete chain " + ch);
            }
            case Command.AddRule(Rule r) -> addRule(r);
            case Command.DeleteRule(ChainRef ch, long handle) -> {
                NlWriter w = header(nfproto(ch.table().family()));
                w.attrString(NFTA_RULE_TABLE, ch.table().name());
                w.attrString(NFTA_RULE_CHAIN, ch.name());
                Be.u64(w, NFTA_RULE_HANDLE, handle);
                yield new NlRequest(type(NFT_MSG_DELRULE), 0, w.toByteArray(), "delete rule " + ch + " handle " + handle);
            }
            case Command.AddMap(SetRef m, List<String> keyType, String dataType) -> addMap(m, keyType, dataType, setId);
            case Command.FlushMap(SetRef m) -> {
                NlWriter w = header(nfproto(m.table().family()));
                w.attrString(NFTA_SET_ELEM_LIST_SET, m.name());
                w.attrString(NFTA_SET_ELEM_LIST_TABLE, m.table().name());
                yield new NlRequest(type(NFT_MSG_DELSETELEM), 0, w.toByteArray(), "flush map " + m);
            }
            case Command.AddElements(SetRef m, List<MapElement> elements) -> {
                SetDecl d = decl(types, m);
                yield elements(NFT_MSG_NEWSETELEM, NLM_F_CREATE, m, elements.stream().map(MapElement::key).toList(),
                        elements.stream().map(e -> Optional.of(e.data())).toList(), d, "add element " + m);
            }
            case Command.DeleteElements(SetRef m, List<List<Expr.Value>> keys) ->
                    elements(NFT_MSG_DELSETELEM, 0, m, keys, keys.stream().map(k -> Optional.<Expr.Value>empty()).toList(),
                            decl(types, m), "delete element " + m);
        };
    }

    private static SetDecl decl(MapTypes types, SetRef m) {
        return types.of(m).orElseThrow(() -> new IllegalArgumentException("map " + m + " does not exist"));
    }

    private static NlRequest table(int msg, int flags, TableRef t, String what) {
        NlWriter w = header(nfproto(t.family()));
        w.attrString(NFTA_TABLE_NAME, t.name());
        if (msg == NFT_MSG_NEWTABLE) Be.u32(w, NFTA_TABLE_FLAGS, 0);
        return new NlRequest(type(msg), flags, w.toByteArray(), what);
    }

    private static NlRequest addChain(ChainRef ch, Optional<BaseChain> base) {
        NlWriter w = header(nfproto(ch.table().family()));
        w.attrString(NFTA_CHAIN_TABLE, ch.table().name());
        w.attrString(NFTA_CHAIN_NAME, ch.name());
        base.ifPresent(b -> {
            w.attrString(NFTA_CHAIN_TYPE, b.type().nft());
            Be.u32(w, NFTA_CHAIN_POLICY, b.policy() == Policy.ACCEPT ? NF_ACCEPT : NF_DROP);
            int hook = w.beginNest(NFTA_CHAIN_HOOK, true);
            Be.u32(w, NFTA_HOOK_HOOKNUM, hookNum(b.hook()));
            Be.u32(w, NFTA_HOOK_PRIORITY, b.priority());
            w.endNest(hook);
        });
        String what = "add chain " + ch + base.map(b -> " { type " + b.type().nft() + " hook " + b.hook().nft() + " }").orElse("");
        return new NlRequest(type(NFT_MSG_NEWCHAIN), NLM_F_CREATE, w.toByteArray(), what);
    }

    public static int hookNum(Hook h) {
        return switch (h) {
            case PREROUTING -> NF_INET_PRE_ROUTING;
            case INPUT -> NF_INET_LOCAL_IN;
            case FORWARD -> NF_INET_FORWARD;
            case OUTPUT -> NF_INET_LOCAL_OUT;
            case POSTROUTING -> NF_INET_POST_ROUTING;
        };
    }

    private static NlRequest addRule(Rule r) {
        ChainRef ch = r.chain();
        NlWriter w = header(nfproto(ch.table().family()));
        w.attrString(NFTA_RULE_TABLE, ch.table().name());
        w.attrString(NFTA_RULE_CHAIN, ch.name());
        NfExprs.write(w, NFTA_RULE_EXPRESSIONS, Linearizer.rule(r));
        r.comment().ifPresent(c -> w.attr(NFTA_RULE_USERDATA, ruleUserdata(c)));
        return new NlRequest(type(NFT_MSG_NEWRULE), NLM_F_CREATE | NLM_F_APPEND, w.toByteArray(), "add rule " + ch);
    }

    /** The comment as nft stores it: TLV NFTNL_UDATA_RULE_COMMENT, u8 length, the text NUL-terminated. */
    static byte[] ruleUserdata(String comment) {
        byte[] c = comment.getBytes(StandardCharsets.UTF_8);
        byte[] u = new byte[c.length + 3];
        u[0] = NFTNL_UDATA_RULE_COMMENT;
        u[1] = (byte) (c.length + 1);
        System.arraycopy(c, 0, u, 2, c.length);
        return u;
    }

    private static NlRequest addMap(SetRef m, List<String> keyType, String dataType, int setId) {
        List<SetTypes.Type> key = SetTypes.parseAll(keyType);
        List<SetTypes.Type> data = List.of(SetTypes.parse(dataType));
        NlWriter w = header(nfproto(m.table().family()));
        w.attrString(NFTA_SET_TABLE, m.table().name());
        w.attrString(NFTA_SET_NAME, m.name());
        Be.u32(w, NFTA_SET_FLAGS, NFT_SET_MAP);
        Be.u32(w, NFTA_SET_KEY_TYPE, SetTypes.id(key));
        Be.u32(w, NFTA_SET_KEY_LEN, SetTypes.length(key));
        Be.u32(w, NFTA_SET_DATA_TYPE, SetTypes.id(data));
        Be.u32(w, NFTA_SET_DATA_LEN, SetTypes.length(data));
        Be.u32(w, NFTA_SET_ID, setId);
        w.attr(NFTA_SET_USERDATA, SetTypes.userdata(key, Optional.of(data)));
        return new NlRequest(type(NFT_MSG_NEWSET), NLM_F_CREATE, w.toByteArray(),
                "add map " + m + " { type " + String.join(" . ", keyType) + " : " + dataType + " }");
    }

    private static NlRequest elements(int msg, int flags, SetRef m, List<List<Expr.Value>> keys, List<Optional<Expr.Value>> data,
                                      SetDecl d, String what) {
        NlWriter w = header(nfproto(m.table().family()));
        w.attrString(NFTA_SET_ELEM_LIST_TABLE, m.table().name());
        w.attrString(NFTA_SET_ELEM_LIST_SET, m.name());
        int list = w.beginNest(NFTA_SET_ELEM_LIST_ELEMENTS, true);
        for (int i = 0; i < keys.size(); i++) {
            // nft numbers the elements of the list 1, 2, 3...; the kernel reads any type there
            int el = w.beginNest(i + 1, true);
            NfData.write(w, NFTA_SET_ELEM_KEY, SetTypes.encode(d.key(), keys.get(i)));
            Optional<Expr.Value> v = data.get(i);
            if (v.isPresent()) {
                List<SetTypes.Type> dt = d.data().orElseThrow(() -> new IllegalArgumentException(m + " is a set, not a map"));
                Data bytes = SetTypes.encode(dt, List.of(v.get()));
                NfData.write(w, NFTA_SET_ELEM_DATA, bytes);
            }
            w.endNest(el);
        }
        w.endNest(list);
        return new NlRequest(type(msg), flags, w.toByteArray(), what);
    }

    // ------------------------------------------------------------------ listing requests

    /** A dump of every object of one kind ({@code NFT_MSG_GETTABLE}, ...), optionally of one table. */
    public static NlRequest dump(int msg, Optional<TableRef> table) {
        NlWriter w = header(table.map(t -> nfproto(t.family())).orElse(NFPROTO_UNSPEC));
        table.ifPresent(t -> w.attrString(msg == NFT_MSG_GETTABLE ? NFTA_TABLE_NAME : NFTA_RULE_TABLE, t.name()));
        return new NlRequest(type(msg), 0, w.toByteArray(), "list " + switch (msg) {
            case NFT_MSG_GETTABLE -> "tables";
            case NFT_MSG_GETCHAIN -> "chains";
            case NFT_MSG_GETRULE -> "rules";
            default -> "sets";
        } + table.map(t -> " of table " + t).orElse(""));
    }

    /** The elements of one set. */
    public static NlRequest dumpElements(SetRef s) {
        NlWriter w = header(nfproto(s.table().family()));
        w.attrString(NFTA_SET_ELEM_LIST_TABLE, s.table().name());
        w.attrString(NFTA_SET_ELEM_LIST_SET, s.name());
        return new NlRequest(type(NFT_MSG_GETSETELEM), 0, w.toByteArray(), "list elements of " + s);
    }
}
