package io.callosum.protocol.tensor;

import io.callosum.protocol.npy.DType;
import io.callosum.protocol.npy.Shape;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The ordered names, modalities, dtypes and shapes of a tensor set. It travels beside Flower's anonymous
 * tensor list (in a config or metrics entry), so a stock Flower client, which ignores it, still works.
 *
 * <p>Text form, one tensor per line: {@code name<TAB>modality<TAB>dtype<TAB>dims}, dims as {@code 4x3}
 * ({@code -} for a 0-d scalar).
 */
public record TensorManifest(List<TensorSpec> specs) {

    public TensorManifest {
        specs = List.copyOf(specs);
        Set<String> names = new HashSet<>();
        for (TensorSpec spec : specs) {
            if (!names.add(spec.name())) {
                throw new IllegalArgumentException("tensor name '" + spec.name() + "' appears twice");
            }
        }
    }

    public int size() {
        return specs.size();
    }

    public String encode() {
        return specs.stream()
                .map(s -> String.join("\t", s.name(), s.modality().tag(), s.dtype().name().toLowerCase(Locale.ROOT),
                        encodeDims(s.shape())))
                .collect(Collectors.joining("\n"));
    }

    public static TensorManifest parse(String text) {
        if (text.isEmpty()) {
            return new TensorManifest(List.of());
        }
        String[] lines = text.split("\n", -1);
        TensorSpec[] specs = new TensorSpec[lines.length];
        for (int i = 0; i < lines.length; i++) {
            String[] fields = lines[i].split("\t", -1);
            if (fields.length != 4) {
                throw new IllegalArgumentException("tensor manifest line " + (i + 1) + " has " + fields.length
                        + " fields, expected 4 (name, modality, dtype, dims)");
            }
            try {
                specs[i] = new TensorSpec(fields[0], Modality.fromTag(fields[1]),
                        DType.valueOf(fields[2].toUpperCase(Locale.ROOT)), parseDims(fields[3]));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("tensor manifest line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return new TensorManifest(Arrays.asList(specs));
    }

    private static String encodeDims(Shape shape) {
        return shape.rank() == 0 ? "-"
                : Arrays.stream(shape.dims()).mapToObj(Long::toString).collect(Collectors.joining("x"));
    }

    private static Shape parseDims(String dims) {
        if (dims.equals("-")) {
            return Shape.of();
        }
        try {
            return new Shape(Arrays.stream(dims.split("x", -1)).mapToLong(Long::parseLong).toArray());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("dims '" + dims + "' are not integers joined by 'x'");
        }
    }
}
