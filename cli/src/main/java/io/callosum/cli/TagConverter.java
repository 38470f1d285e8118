package io.callosum.cli;

import picocli.CommandLine;

import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Collectors;

/** An option's enum value as configuration spells it (its tag: {@code cosine}, {@code class-balanced}). */
public abstract class TagConverter<E extends Enum<E>> implements CommandLine.ITypeConverter<E> {
    private final Class<E> type;
    private final Function<E, String> tag;

    protected TagConverter(Class<E> type, Function<E, String> tag) {
        this.type = type;
        this.tag = tag;
    }

    @Override
    public E convert(String value) {
        for (E constant : type.getEnumConstants()) {
            if (tag.apply(constant).equals(value)) {
                return constant;
            }
        }
        throw new CommandLine.TypeConversionException("expected one of " + Arrays.stream(type.getEnumConstants())
                .map(tag).collect(Collectors.joining(", ")) + ", got '" + value + "'");
    }
}
