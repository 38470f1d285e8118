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
        Map<Modality, Long> copy = new EnumMap<>(Modality.class);
        copy.putAll(byModality);
        byModality = Collections.unmodifiableMap(copy);
        // A site's num_examples is the sum of its counts: a bad count is what to name first.
        byModality.forEach((modality, count) -> {
            if (count <= 0) {
                throw new IllegalArgumentException("'" + key(modality) + "' must be a whole number of examples > 0,"
                        + " got " + count);
            }
        });
        if (total <= 0) {
            throw new IllegalArgumentException("num_examples must be > 0, got " + total);
        }
        byModality.forEach((modality, count) -> {
            if (count > total) {
                throw new IllegalArgumentException("'" + key(modality) + "' is " + count + ", more than the " + total
                        + " examples of the whole update");
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
            if (metrics.containsKey(key(modality))) {
                counts.put(modality, ScalarMaps.integer(metrics, key(modality), where));
            }
        }
        try {
            return new ModalityExamples(numExamples, counts);
        } catch (IllegalArgumentException e) {
            throw new ConfigFormatException(where + ": " + e.getMessage());
        }
    }

    /** The examples that {@code modality}'s tensors were trained on. */
    public long of(Modality modality) {
        return byModality.getOrDefault(modality, total);
    }
}
