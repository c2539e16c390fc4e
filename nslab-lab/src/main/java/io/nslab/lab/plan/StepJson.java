package io.nslab.lab.plan;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.nslab.netlink.route.LinkKind.IpvlanMode;
import io.nslab.netlink.route.LinkKind.MacvlanMode;
import io.nslab.netlink.route.LinkKind.VlanProtocol;

import io.nslab.lab.model.Impair;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * How steps are written to the journal: the library's modes and protocols in
 * a {@link LinkSpec} as {@code ip}'s keywords ({@code "bridge"}, {@code "l2"},
 * {@code "802.1Q"}), the words the journal always held.
 */
public final class StepJson {
    private StepJson() {}

    /** The Jackson module for {@link Step}s and {@link LinkSpec}s. */
    public static Module module() {
        SimpleModule m = new SimpleModule("nslab-steps");
        keyword(m, MacvlanMode.class, MacvlanMode::keyword, MacvlanMode::ofKeyword);
        keyword(m, IpvlanMode.class, IpvlanMode::keyword, IpvlanMode::ofKeyword);
        keyword(m, VlanProtocol.class, VlanProtocol::keyword, VlanProtocol::ofKeyword);
        // an impairment as its words ("delay 50ms loss 1% rate 10Mbit"), which parse back to it
        m.addSerializer(Impair.class, new JsonSerializer<>() {
            @Override public void serialize(Impair value, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeString(value.toString());
            }
        });
        m.addDeserializer(Impair.class, new JsonDeserializer<>() {
            @Override public Impair deserialize(JsonParser p, DeserializationContext c) throws IOException {
                String s = p.getValueAsString();
                try {
                    return Impair.parse(List.of(s.strip().split("\\s+")));
                } catch (IllegalArgumentException e) {
                    throw c.weirdStringException(s, Impair.class, e.getMessage());
                }
            }
        });
        return m;
    }

    private static <E extends Enum<E>> void keyword(SimpleModule m, Class<E> type, Function<E, String> word,
                                                    Function<String, Optional<E>> parse) {
        m.addSerializer(type, new JsonSerializer<>() {
            @Override public void serialize(E value, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeString(word.apply(value));
            }
        });
        m.addDeserializer(type, new JsonDeserializer<>() {
            @Override public E deserialize(JsonParser p, DeserializationContext c) throws IOException {
                String s = p.getValueAsString();
                return parse.apply(s).orElseThrow(() -> c.weirdStringException(s, type, "not one of ip's keywords"));
            }
        });
    }
}
