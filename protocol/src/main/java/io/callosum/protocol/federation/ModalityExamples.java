package io.callosum.protocol.federation;

import io.callosum.protocol.flower.proto.Transport.Scalar;
import io.callosum.protocol.tensor.Modality;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * How many examples a site's update was trained on, per modality where the site says ({@code examples.<modality>}
 * in its fit metrics), else Flower's {@code num_examples} for all of it. FedAvg weighs each tensor by the examples
 * of its modality: a site holding three modalities of 56 subjects reports 168 examples, but its omics encoder saw
 * 56 and must weigh as much as another site's omics encoder trained on 56.
 */
public record ModalityExamples(long total, Map<Modality, Long> byModality) {
    public static final String PREFIX = "examples.";

    public ModalityExamples {
        if (total <= 0) {
            throw new IllegalArgumentException("examples must be > 0, got " + total);
        }
        Map<Modality, Long> copy = new EnumMap<>(Modality.class);
        copy.putAll(byModality);
        byModality = Collections.unmodifiableMap(copy);
        byModality.forEach((modality, count) -> {
            if (count <= 0) {
                throw new IllegalArgumentException("examples of " + modality + " must be > 0, got " + count);
            }
        });
    }

    /** The same count for every tensor: a plain Flower client, or a site that names no modality's own. */
    public static ModalityExamples uniform(long total) {
        return new ModalityExamples(total, Map.of());
    }

    /** The metric a site reports the examples of {@code modality} under. */
    public static String key(Modality modality) {
        return PREFIX + modality.tag();
    }

    /**
     * The counts a fit result gives: {@code numExamples} and each modality's {@code examples.<modality>} metric,
     * which must be a whole positive number no larger than {@code numExamples}.
     */
    public static ModalityExamples in(long numExamples, Map<String, Scalar> metrics, String where) {
        Map<Modality, Long> counts = new EnumMap<>(Modality.class);
        for (Modality modality : Modality.values()) {
            ScalarMaps.optionalNumber(metrics, key(modality), where).ifPresent(count -> {
                if (!(count > 0) || count != Math.rint(count) || count > Long.MAX_VALUE) {
                    throw new ConfigFormatException(where + ": '" + key(modality)
                            + "' must be a whole number of examples > 0, got " + count);
                }
                counts.put(modality, (long) (double) count);
            });
        }
        if (numExamples <= 0) {
            throw new ConfigFormatException(where + ": num_examples must be > 0, got " + numExamples);
        }
        counts.forEach((modality, count) -> {
            if (count > numExamples) {
                throw new ConfigFormatException(where + ": '" + key(modality) + "' is " + count
                        + ", more than the " + numExamples + " examples of the whole update");
            }
        });
        return new ModalityExamples(numExamples, counts);
    }

    /** The examples that {@code modality}'s tensors were trained on. */
    public long of(Modality modality) {
        return byModality.getOrDefault(modality, total);
    }
}
