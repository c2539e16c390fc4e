package io.nslab.netlink.nft;

import java.util.List;
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

    /**
     * {@code add map}: a named map from {@code keyType} (several types: a
     * concatenation, e.g. {@code inet_proto . inet_service}) to {@code dataType};
     * does nothing if the same map exists.
     */
    record AddMap(SetRef map, List<String> keyType, String dataType) implements Command {
        public AddMap {
            Objects.requireNonNull(map, "map");
            keyType = List.copyOf(keyType);
            if (keyType.isEmpty()) throw new IllegalArgumentException("map " + map + " without a key type");
            Objects.requireNonNull(dataType, "dataType");
        }

        @Override
        public TableRef table() { return map.table(); }
    }

    /** {@code flush map}: removes every element, keeps the map. */
    record FlushMap(SetRef map) implements Command {
        public FlushMap { Objects.requireNonNull(map, "map"); }

        @Override
        public TableRef table() { return map.table(); }
    }

    /** {@code add element}: fails the transaction if a key is already there with other data. */
    record AddElements(SetRef map, List<MapElement> elements) implements Command {
        public AddElements {
            Objects.requireNonNull(map, "map");
            elements = List.copyOf(elements);
            if (elements.isEmpty()) throw new IllegalArgumentException("add element to " + map + " without elements");
        }

        @Override
        public TableRef table() { return map.table(); }
    }

    /** {@code delete element} by key: fails the transaction if a key is absent. */
    record DeleteElements(SetRef map, List<List<Expr.Value>> keys) implements Command {
        public DeleteElements {
            Objects.requireNonNull(map, "map");
            keys = keys.stream().map(List::copyOf).toList();
            if (keys.isEmpty()) throw new IllegalArgumentException("delete element from " + map + " without keys");
        }

        @Override
        public TableRef table() { return map.table(); }
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
