package io.nslab.netlink.nft;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An ordered list of commands that {@link Nft#apply} sends as ONE
 * {@code {"nftables":[...]}} batch: the kernel commits all of it or none of it.
 */
public record Transaction(List<Command> commands) {
    public Transaction {
        commands = List.copyOf(commands);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The tables this transaction touches, in first-use order. */
    public Set<TableRef> tables() {
        Set<TableRef> s = new LinkedHashSet<>();
        for (Command c : commands) s.add(c.table());
        return s;
    }

    public boolean isEmpty() {
        return commands.isEmpty();
    }

    /** Collects commands; not thread-safe. */
    public static final class Builder {
        private final List<Command> commands = new ArrayList<>();

        private Builder() {}

        public Builder add(Command c) {
            commands.add(Objects.requireNonNull(c, "command"));
            return this;
        }

        public Builder addTable(TableRef t) {
            return add(new Command.AddTable(t));
        }

        public Builder deleteTable(TableRef t) {
            return add(new Command.DeleteTable(t));
        }

        /**
         * Deletes the table if it exists and is a no-op otherwise, atomically:
         * {@code add table} (which never fails on an existing table) followed by
         * {@code delete table}.
         */
        public Builder deleteTableIfExists(TableRef t) {
            return addTable(t).deleteTable(t);
        }

        /**
         * Starts the table from empty whatever it held before (add, delete, add),
         * so the rest of the transaction defines its whole content: the usual
         * "replace my table" step, with no window where the table is missing.
         */
        public Builder replaceTable(TableRef t) {
            return deleteTableIfExists(t).addTable(t);
        }

        public Builder flushTable(TableRef t) {
            return add(new Command.FlushTable(t));
        }

        /** A regular chain (a jump/goto target). */
        public Builder addChain(ChainRef c) {
            return add(new Command.AddChain(c, Optional.empty()));
        }

        /** A base chain attached to a hook. */
        public Builder addChain(ChainRef c, BaseChain base) {
            return add(new Command.AddChain(c, Optional.of(base)));
        }

        public Builder flushChain(ChainRef c) {
            return add(new Command.FlushChain(c));
        }

        public Builder deleteChain(ChainRef c) {
            return add(new Command.DeleteChain(c));
        }

        public Builder addRule(Rule r) {
            return add(new Command.AddRule(r));
        }

        public Builder addRules(Collection<Rule> rules) {
            rules.forEach(this::addRule);
            return this;
        }

        public Builder deleteRule(ChainRef c, long handle) {
            return add(new Command.DeleteRule(c, handle));
        }

        public Builder addMap(SetRef map, List<String> keyType, String dataType) {
            return add(new Command.AddMap(map, keyType, dataType));
        }

        public Builder flushMap(SetRef map) {
            return add(new Command.FlushMap(map));
        }

        /** Adds the elements; nothing when the list is empty. */
        public Builder addElements(SetRef map, List<MapElement> elements) {
            return elements.isEmpty() ? this : add(new Command.AddElements(map, elements));
        }

        /** Deletes the elements by key; nothing when the list is empty. */
        public Builder deleteElements(SetRef map, List<List<Expr.Value>> keys) {
            return keys.isEmpty() ? this : add(new Command.DeleteElements(map, keys));
        }

        public Transaction build() {
            return new Transaction(commands);
        }
    }
}
