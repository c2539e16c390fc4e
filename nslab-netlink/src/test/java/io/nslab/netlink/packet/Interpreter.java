package io.nslab.netlink.packet;

import java.util.ArrayList;
import java.util.List;

import static io.nslab.netlink.packet.BpfProgram.*;

/** A small classic-BPF interpreter with the kernel's rules (a load past the end rejects). Tests only. */
final class Interpreter {
    private Interpreter() {}

    /** The program's verdict for {@code pkt}: 0 drops, else the number of bytes kept. */
    static int run(BpfProgram prog, byte[] pkt) { return run(prog, pkt, -1); }

    /**
     * Runs {@code prog} on {@code pkt} as the kernel does for a frame whose 802.1Q tag it took
     * out of the data ({@code vlanTci}, -1: none): the ancillary loads (SKF_AD_VLAN_TAG,
     * SKF_AD_VLAN_TAG_PRESENT) read it.
     */
    static int run(BpfProgram prog, byte[] pkt, int vlanTci) {
        List<Insn> p = prog.instructions();
        int a = 0, x = 0;
        int[] mem = new int[16];
        for (int pc = 0; pc < p.size(); pc++) {
            Insn i = p.get(pc);
            int c = i.code(), k = i.k();
            switch (c & 0x07) {
                case LD, LDX -> {
                    int mode = c & 0xe0, size = c & 0x18;
                    int v;
                    if (mode == IMM) v = k;
                    else if (mode == LEN) v = pkt.length;
                    else if (mode == MEM) v = mem[k];
                    else if (mode == MSH) {
                        if (k < 0 || k >= pkt.length) return 0;
                        v = (pkt[k] & 0xf) * 4;
                    } else if (mode == ABS && k >= BpfCompiler.SKF_AD_OFF && k < BpfCompiler.SKF_AD_OFF + 64) {
                        v = switch (k - BpfCompiler.SKF_AD_OFF) {
                            case BpfCompiler.SKF_AD_VLAN_TAG -> Math.max(vlanTci, 0);
                            case BpfCompiler.SKF_AD_VLAN_TAG_PRESENT -> vlanTci >= 0 ? 1 : 0;
                            default -> throw new IllegalArgumentException("ancillary load " + (k - BpfCompiler.SKF_AD_OFF) + " not modelled");
                        };
                    } else {
                        long off = (mode == IND ? x & 0xffffffffL : 0) + (k & 0xffffffffL);
                        int n = size == W ? 4 : size == H ? 2 : 1;
                        if (off + n > pkt.length) return 0;
                        v = 0;
                        for (int b = 0; b < n; b++) v = (v << 8) | (pkt[(int) off + b] & 0xff);
                    }
                    if ((c & 0x07) == LD) a = v; else x = v;
                }
                case 0x02 -> mem[k] = a;          // st
                case 0x03 -> mem[k] = x;          // stx
                case ALU -> {
                    int s = (c & X) != 0 ? x : k;
                    a = switch (c & 0xf0) {
                        case 0x00 -> a + s; case 0x10 -> a - s; case 0x20 -> a * s;
                        case 0x30 -> s == 0 ? 0 : Integer.divideUnsigned(a, s);
                        case 0x40 -> a | s; case AND -> a & s; case 0x60 -> a << s; case 0x70 -> a >>> s;
                        case 0x80 -> -a; default -> throw new IllegalArgumentException("alu op " + c);
                    };
                }
                case JMP -> {
                    int s = (c & X) != 0 ? x : k;
                    if ((c & 0xf0) == JA) { pc += k; continue; }
                    boolean t = switch (c & 0xf0) {
                        case JEQ -> a == s;
                        case JGT -> Integer.compareUnsigned(a, s) > 0;
                        case JGE -> Integer.compareUnsigned(a, s) >= 0;
                        case JSET -> (a & s) != 0;
                        default -> throw new IllegalArgumentException("jmp op " + c);
                    };
                    pc += t ? i.jt() : i.jf();
                }
                case RET -> { return (c & 0x18) == 0x10 ? a : k; }
                case MISC -> { if ((c & 0xf8) == 0) x = a; else a = x; }
                default -> throw new IllegalArgumentException("op " + c);
            }
        }
        return 0;
    }

    /** A program from {@code tcpdump -ddd} output. */
    static BpfProgram parseDdd(List<String> lines) {
        int n = Integer.parseInt(lines.get(0).trim());
        List<Insn> l = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            String[] f = lines.get(i).trim().split("\\s+");
            l.add(new Insn(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseUnsignedInt(f[3])));
        }
        return new BpfProgram(l);
    }
}
