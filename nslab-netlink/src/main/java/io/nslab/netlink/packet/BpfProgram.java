package io.nslab.netlink.packet;

import java.util.List;

/**
 * A classic BPF program (what {@code SO_ATTACH_FILTER} takes and
 * {@code tcpdump -dd} prints), immutable. {@link #toString} lists it the way
 * {@code tcpdump -d} does; {@link #dump} the way {@code tcpdump -ddd} does.
 */
public record BpfProgram(List<Insn> instructions) {
    /** One instruction: {@code struct sock_filter}. */
    public record Insn(int code, int jt, int jf, int k) {
        public Insn {
            if (code < 0 || code > 0xffff || jt < 0 || jt > 255 || jf < 0 || jf > 255)
                throw new IllegalArgumentException("bad instruction " + code + " " + jt + " " + jf + " " + k);
        }
    }

    // opcode parts (linux/bpf_common.h)
    public static final int LD = 0x00, LDX = 0x01, ALU = 0x04, JMP = 0x05, RET = 0x06, MISC = 0x07;
    public static final int W = 0x00, H = 0x08, B = 0x10;
    public static final int IMM = 0x00, ABS = 0x20, IND = 0x40, MEM = 0x60, LEN = 0x80, MSH = 0xa0;
    public static final int AND = 0x50, JA = 0x00, JEQ = 0x10, JGT = 0x20, JGE = 0x30, JSET = 0x40, K = 0x00, X = 0x08;

    public BpfProgram {
        instructions = List.copyOf(instructions);
        if (instructions.isEmpty()) throw new IllegalArgumentException("an empty program");
    }

    /** A program that keeps every packet, {@code snaplen} bytes of it. */
    public static BpfProgram acceptAll(int snaplen) {
        return new BpfProgram(List.of(new Insn(RET | K, 0, 0, snaplen)));
    }

    public int size() { return instructions.size(); }

    /** {@code tcpdump -ddd}: the count, then "code jt jf k" in decimal, one per line. */
    public String dump() {
        StringBuilder s = new StringBuilder().append(size()).append('\n');
        for (Insn i : instructions) s.append(i.code()).append(' ').append(i.jt()).append(' ').append(i.jf()).append(' ').append(Integer.toUnsignedString(i.k())).append('\n');
        return s.toString();
    }

    @Override public String toString() {
        StringBuilder s = new StringBuilder();
        for (int n = 0; n < size(); n++) s.append(String.format("(%03d) %s%n", n, text(instructions.get(n), n)));
        return s.toString();
    }

    private static String text(Insn i, int n) {
        int c = i.code(), k = i.k();
        String hex = "#0x" + Integer.toHexString(k);
        return switch (c) {
            case LD | W | ABS -> "ld       [" + k + "]";
            case LD | H | ABS -> "ldh      [" + k + "]";
            case LD | B | ABS -> "ldb      [" + k + "]";
            case LD | H | IND -> "ldh      [x + " + k + "]";
            case LD | B | IND -> "ldb      [x + " + k + "]";
            case LD | W | IND -> "ld       [x + " + k + "]";
            case LDX | B | MSH -> "ldxb     4*([" + k + "]&0xf)";
            case ALU | AND | K -> "and      " + hex;
            case RET | K -> "ret      #" + Integer.toUnsignedString(k);
            case JMP | JA -> "ja       " + (n + 1 + k);
            case JMP | JEQ | K, JMP | JGT | K, JMP | JGE | K, JMP | JSET | K -> String.format("%-8s %-16s jt %d\tjf %d",
                    switch (c & 0xf0) { case JEQ -> "jeq"; case JGT -> "jgt"; case JGE -> "jge"; default -> "jset"; },
                    hex, n + 1 + i.jt(), n + 1 + i.jf());
            default -> String.format("0x%02x %d %d %d", c, i.jt(), i.jf(), k);
        };
    }
}
