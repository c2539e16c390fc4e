package io.nslab.netlink.nft.wire;

import io.nslab.netlink.nft.Expr;
import io.nslab.netlink.route.IpPrefix;
import io.nslab.netlink.nft.expr.Data;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * nft's data types of set keys and map data: the number nft stores in
 * NFTA_SET_KEY_TYPE / NFTA_SET_DATA_TYPE (its enum datatypes; a concatenation
 * is the types folded 6 bits each, first type highest), their length, and how
 * nslab's values are written in and read back from the element bytes.
 */
public final class SetTypes {
    private SetTypes() {}

    /** One of nft's types. {@code byteorder} as nft records it in the set's userdata: 1 host, 2 big endian. */
    public enum Type {
        IPV4_ADDR("ipv4_addr", 7, 4, 2), IPV6_ADDR("ipv6_addr", 8, 16, 2), ETHER_ADDR("ether_addr", 9, 6, 2),
        INET_PROTO("inet_proto", 12, 1, 1), INET_SERVICE("inet_service", 13, 2, 2);

        public final String nft;
        public final int id, len, byteorder;

        Type(String nft, int id, int len, int byteorder) {
            this.nft = nft;
            this.id = id;
            this.len = len;
            this.byteorder = byteorder;
        }
    }

    static final int TYPE_BITS = 6;

    public static Type parse(String name) {
        for (Type t : Type.values()) if (t.nft.equals(name)) return t;
        throw new IllegalArgumentException("set or map type " + name + " is not supported (ipv4_addr, ipv6_addr, ether_addr, inet_proto, inet_service)");
    }

    public static List<Type> parseAll(List<String> names) {
        return names.stream().map(SetTypes::parse).toList();
    }

    public static int id(List<Type> types) {
        int id = 0;
        for (Type t : types) id = (id << TYPE_BITS) | t.id;
        return id;
    }

    /** The types of a (possibly concatenated) type number; empty if one is not known here. */
    public static Optional<List<Type>> ofId(int id) {
        List<Type> out = new ArrayList<>();
        while (id != 0) {
            int sub = id & ((1 << TYPE_BITS) - 1);
            Optional<Type> t = Arrays.stream(Type.values()).filter(x -> x.id == sub).findFirst();
            if (t.isEmpty()) return Optional.empty();
            out.addFirst(t.get());
            id >>>= TYPE_BITS;
        }
        return out.isEmpty() ? Optional.empty() : Optional.of(out);
    }

    /** Bytes of a key or data of these types: one field as it is, fields of a concatenation padded to 4 bytes each. */
    public static int length(List<Type> types) {
        if (types.size() == 1) return types.getFirst().len;
        return types.stream().mapToInt(t -> (t.len + 3) / 4 * 4).sum();
    }

    public static Data encode(List<Type> types, List<Expr.Value> values) {
        if (types.size() != values.size())
            throw new IllegalArgumentException("a value of " + names(types) + " has " + types.size() + " parts, not " + values.size());
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < types.size(); i++) {
            byte[] v = encode(types.get(i), values.get(i));
            b.writeBytes(v);
            if (types.size() > 1) b.writeBytes(new byte[(4 - v.length % 4) % 4]);
        }
        return new Data(b.toByteArray());
    }

    private static byte[] encode(Type t, Expr.Value v) {
        return switch (t) {
            case IPV4_ADDR, IPV6_ADDR -> {
                if (!(v instanceof Expr.Address a) || !a.prefix().isHost() || a.prefix().isIpv4() != (t == Type.IPV4_ADDR))
                    throw new IllegalArgumentException(t.nft + " takes a host address, not " + v);
                yield a.prefix().address().getAddress();
            }
            case INET_PROTO -> {
                int n = switch (v) {
                    case Expr.Str s -> Symbols.l4proto(s.value()).orElseThrow(() -> new IllegalArgumentException("unknown protocol " + s.value()));
                    case Expr.Num n2 when n2.value() >= 0 && n2.value() <= 255 -> (int) n2.value();
                    default -> throw new IllegalArgumentException("inet_proto takes a protocol, not " + v);
                };
                yield new byte[] {(byte) n};
            }
            case INET_SERVICE -> {
                if (!(v instanceof Expr.Num n) || n.value() < 0 || n.value() > 65535)
                    throw new IllegalArgumentException("inet_service takes a port, not " + v);
                yield Data.be(n.value(), 2).bytes();
            }
            case ETHER_ADDR -> throw new IllegalArgumentException("ether_addr values are not supported yet");
        };
    }

    /** Reads element bytes back into values; empty if they do not fit the types. */
    public static Optional<List<Expr.Value>> decode(List<Type> types, Data data) {
        byte[] b = data.bytes();
        if (b.length != length(types)) return Optional.empty();
        List<Expr.Value> out = new ArrayList<>();
        int off = 0;
        for (Type t : types) {
            byte[] v = Arrays.copyOfRange(b, off, off + t.len);
            off += types.size() > 1 ? (t.len + 3) / 4 * 4 : t.len;
            Expr.Value x = switch (t) {
                case IPV4_ADDR, IPV6_ADDR -> {
                    try {
                        yield new Expr.Address(IpPrefix.host(InetAddress.getByAddress(v)));
                    } catch (UnknownHostException e) {
                        yield null;
                    }
                }
                case INET_PROTO -> Symbols.l4protoName(v[0] & 0xff).<Expr.Value>map(Expr.Str::new).orElse(new Expr.Num(v[0] & 0xff));
                case INET_SERVICE -> new Expr.Num(new Data(v).be());
                case ETHER_ADDR -> new Expr.RawValue(new Data(v));
            };
            if (x == null) return Optional.empty();
            out.add(x);
        }
        return Optional.of(out);
    }

    public static List<String> names(List<Type> types) {
        return types.stream().map(t -> t.nft).toList();
    }

    /**
     * The set userdata nft writes and reads back when it lists the set (the
     * kernel keeps it opaque): TLVs of u8 type, u8 length, value. 0 key byte
     * order and 1 data byte order (u32, host order: 0 for a concatenation),
     * 3 key and 4 data "typeof" records for concatenations (nested: 0 the
     * expression kind, u32 13 = a concatenation; 1 its own userdata, empty
     * for a type declaration), 6 data interval (u32 0).
     */
    public static byte[] userdata(List<Type> key, Optional<List<Type>> data) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        tlv(b, 0, u32(key.size() == 1 ? key.getFirst().byteorder : 0));
        data.ifPresent(d -> tlv(b, 1, u32(d.size() == 1 ? d.getFirst().byteorder : 0)));
        if (key.size() > 1) tlv(b, 3, CONCAT_TYPEOF);
        if (data.isPresent() && data.get().size() > 1) tlv(b, 4, CONCAT_TYPEOF);
        if (data.isPresent()) tlv(b, 6, u32(0));
        return b.toByteArray();
    }

    private static final byte[] CONCAT_TYPEOF = {0, 4, 13, 0, 0, 0, 1, 0};

    private static byte[] u32(int v) {
        return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
    }

    private static void tlv(ByteArrayOutputStream b, int type, byte[] value) {
        b.write(type);
        b.write(value.length);
        b.writeBytes(value);
    }
}
