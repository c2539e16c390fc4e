package io.nslab.netlink.nft;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A rule's content: the chain it lives in, its expressions in order, and an
 * optional comment (nft allows 128 bytes). Listing returns it with its handle
 * as a {@link ListedRule}.
 */
public record Rule(ChainRef chain, List<Expr> exprs, Optional<String> comment) {
    /** NFT_USERDATA_MAXLEN-derived limit nft enforces on comments. */
    public static final int MAX_COMMENT_BYTES = 128;

    public Rule {
        Objects.requireNonNull(chain, "chain");
        exprs = List.copyOf(exprs);
        Objects.requireNonNull(comment, "comment");
        comment.ifPresent(c -> {
            if (c.getBytes(StandardCharsets.UTF_8).length > MAX_COMMENT_BYTES)
                throw new IllegalArgumentException("rule comment longer than " + MAX_COMMENT_BYTES + " bytes");
        });
    }

    public static Rule of(ChainRef chain, Expr... exprs) {
        return new Rule(chain, Arrays.asList(exprs), Optional.empty());
    }

    public static Rule of(ChainRef chain, List<Expr> exprs) {
        return new Rule(chain, exprs, Optional.empty());
    }

    public Rule withComment(String comment) {
        return new Rule(chain, exprs, Optional.of(comment));
    }

    /** The same rule with a {@code counter} just before its final statement (if it has none yet). */
    public Rule counted() {
        if (exprs.stream().anyMatch(e -> e instanceof Expr.Counter)) return this;
        List<Expr> out = new ArrayList<>(exprs);
        int at = !out.isEmpty() && out.getLast() instanceof Expr.Terminal ? out.size() - 1 : out.size();
        out.add(at, Expr.counter());
        return new Rule(chain, out, comment);
    }

    /**
     * Checks made before a rule is sent, so the common mistakes read as Java
     * errors instead of kernel ones: no expressions; something after a
     * terminal statement; a NAT port without a transport protocol match.
     */
    public Rule validate() {
        if (exprs.isEmpty()) throw new IllegalArgumentException("rule in " + chain + " has no expressions");
        boolean l4 = false;
        for (int i = 0; i < exprs.size(); i++) {
            Expr e = exprs.get(i);
            if (e instanceof Expr.Terminal && i != exprs.size() - 1)
                throw new IllegalArgumentException("rule in " + chain + ": statement after terminal statement " + e);
            if (e instanceof Expr.Match m && isL4(m)) l4 = true;
            boolean natPort = (e instanceof Expr.Dnat d && d.port().isPresent())
                    || (e instanceof Expr.Snat s && s.port().isPresent());
            if (natPort && !l4)
                throw new IllegalArgumentException("rule in " + chain
                        + ": a NAT port needs a transport protocol match first (e.g. tcp dport N)");
        }
        return this;
    }

    private static boolean isL4(Expr.Match m) {
        return switch (m.left()) {
            case Expr.Payload p -> p.isPort();
            case Expr.Meta meta -> meta.key().equals("l4proto") && m.op() == Expr.Op.EQ;
            default -> false;
        };
    }
}
