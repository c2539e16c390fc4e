package io.nslab.netlink.nft.expr;

import java.util.Objects;
import java.util.Optional;

import static io.nslab.netlink.nft.wire.NftConst.*;

/**
 * A verdict as the verdict register holds it.
 *
 * <pre>
 * NFTA_DATA_VERDICT (nested)
 *   NFTA_VERDICT_CODE   be32   NF_ACCEPT 1, NF_DROP 0, NFT_JUMP -3, NFT_GOTO -4, NFT_RETURN -5
 *   NFTA_VERDICT_CHAIN  string (jump and goto only)
 * </pre>
 */
public record Verdict(int code, Optional<String> chain) implements Immediate.Value {
    public Verdict {
        Objects.requireNonNull(chain, "chain");
        if ((code == NFT_JUMP || code == NFT_GOTO) != chain.isPresent())
            throw new IllegalArgumentException("a chain goes with jump and goto only");
    }

    public static Verdict of(int code) {
        return new Verdict(code, Optional.empty());
    }

    @Override
    public String toString() {
        return switch (code) {
            case NF_ACCEPT -> "accept";
            case NF_DROP -> "drop";
            case NFT_RETURN -> "return";
            case NFT_CONTINUE -> "continue";
            case NFT_BREAK -> "break";
            case NFT_JUMP -> "jump -> " + chain.orElseThrow();
            case NFT_GOTO -> "goto -> " + chain.orElseThrow();
            default -> "verdict " + code;
        };
    }
}
