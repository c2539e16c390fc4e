package io.nslab.netlink.nft;

import java.util.Objects;
import java.util.Optional;

/**
 * One command of a {@link Transaction}. Every command names its table, and
 * there is deliberately no command that reaches beyond one table (no
 * {@code flush ruleset}): nslab only ever touches tables it names.
 */
public sealed interface Command {
    /** The table this command touches. */
    TableRef table();

    /** {@code add table}: creates the table, or does nothing if it exists. */
    record AddTable(TableRef table) implements Command {
        public AddTable { Objects.requireNonNull(table, "table"); }
    }

    /** {@code delete table}: fails the whole transaction if the table does not exist. */
    record DeleteTable(TableRef table) implements Command {
        public DeleteTable { Objects.requireNonNull(table, "table"); }
    }

    /** {@code flush table}: removes every rule of the table, keeps chains and sets. */
    record FlushTable(TableRef table) implements Command {
        public FlushTable { Objects.requireNonNull(table, "table"); }
    }

    /** {@code add chain}: a regular chain, or a base chain when {@code base} is present. */
    record AddChain(ChainRef chain, Optional<BaseChain> base) implements Command {
        public AddChain {
            Objects.requireNonNull(chain, "chain");
            Objects.requireNonNull(base, "base");
        }

        @Override
        public TableRef table() { return chain.table(); }
    }

    /** {@code flush chain}. */
    record FlushChain(ChainRef chain) implements Command {
        public FlushChain { Objects.requireNonNull(chain, "chain"); }

        @Override
        public TableRef table() { return chain.table(); }
    }

    /** {@code delete chain} (must be empty and unreferenced). */
    record DeleteChain(ChainRef chain) implements Command {
        public DeleteChain { Objects.requireNonNull(chain, "chain"); }

        @Override
        public TableRef table() { return chain.table(); }
    }

    /** {@code add rule}: appended at the end of its chain. */
    record AddRule(Rule rule) implements Command {
        public AddRule { Objects.requireNonNull(rule, "rule").validate(); }

        @Override
        public TableRef table() { return rule.chain().table(); }
    }

    /** {@code delete rule ... handle N}. */
    record DeleteRule(ChainRef chain, long handle) implements Command {
        public DeleteRule {
            Objects.requireNonNull(chain, "chain");
            if (handle <= 0) throw new IllegalArgumentException("rule handle must be positive: " + handle);
        }

        @Override
        public TableRef table() { return chain.table(); }
    }
}
