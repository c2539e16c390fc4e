package io.nslab.netlink.nft.expr;

import io.nslab.netlink.wire.Attrs;
import io.nslab.netlink.wire.NlWriter;

/**
 * One nf_tables expression as the kernel runs it: a small register machine
 * where loads (payload, meta, ct, fib) fill registers and cmp, bitwise, lookup,
 * nat and immediate read or write them. {@code toString()} reads like
 * {@code nft --debug=netlink}. A rule's list of these is what travels in
 * NFTA_RULE_EXPRESSIONS; {@link io.nslab.netlink.nft.wire.Linearizer} makes it
 * from nslab's model and {@link io.nslab.netlink.nft.wire.Delinearizer} lifts it back.
 *
 * <pre>
 * NFTA_LIST_ELEM (nested)
 *   NFTA_EXPR_NAME  "payload"        string, NUL-terminated
 *   NFTA_EXPR_DATA  (nested)         the expression's own attributes (each file draws them)
 * </pre>
 */
public sealed interface NfExpr permits PayloadLoad, MetaLoad, CtLoad, FibLoad, Cmp, Bitwise, Lookup, Immediate,
        NatStmt, Masq, CounterStmt, UnknownExpr {

    /** The name the kernel registers the expression type under ({@code NFTA_EXPR_NAME}). */
    String name();

    /** Writes the attributes inside NFTA_EXPR_DATA. */
    void encodeData(NlWriter w);

    /** Decodes one expression from its name and NFTA_EXPR_DATA; an unknown name or shape is kept as {@link UnknownExpr}. */
    static NfExpr decode(String name, Attrs data) {
        NfExpr e = switch (name) {
            case PayloadLoad.NAME -> PayloadLoad.decode(data);
            case MetaLoad.NAME -> MetaLoad.decode(data);
            case CtLoad.NAME -> CtLoad.decode(data);
            case FibLoad.NAME -> FibLoad.decode(data);
            case Cmp.NAME -> Cmp.decode(data);
            case Bitwise.NAME -> Bitwise.decode(data);
            case Lookup.NAME -> Lookup.decode(data);
            case Immediate.NAME -> Immediate.decode(data);
            case NatStmt.NAME -> NatStmt.decode(data);
            case Masq.NAME -> Masq.decode(data);
            case CounterStmt.NAME -> CounterStmt.decode(data);
            default -> null;
        };
        return e != null ? e : new UnknownExpr(name, data);
    }
}
