package io.callosum.protocol.federation;

import io.callosum.protocol.flower.proto.Transport.Scalar;
import io.callosum.protocol.npy.DType;
import io.callosum.protocol.npy.NpyArray;
import io.callosum.protocol.npy.Shape;
import io.callosum.protocol.secagg.MaskedUpdate;
import io.callosum.protocol.secagg.SecAggStage;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.NamedTensor;
import io.callosum.protocol.tensor.TensorManifest;
import io.callosum.protocol.tensor.TensorSet;
import io.callosum.protocol.tensor.TensorSpec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How the stages of a secure-aggregation round travel in Flower's {@code FitIns} config and {@code FitRes}
 * metrics and parameters. The first stage is an ordinary fit instruction (global tensors and training plan) that
 * also carries the round's SecAgg+ config, the site's client id and the layout of the summed vector; every stage
 * message travels as one bytes entry ({@link io.callosum.protocol.secagg.SecAggCodec}); the masked input travels
 * as the parameters, one uint32 tensor, so that it takes the chunked transfer when it is large. A site's answer to
 * the first stage names the tensors its update holds ({@link #COVERED}): the rest of its vector is zeros, and each
 * tensor's sum is divided by the weights of the sites that hold it.
 */
public final class SecureFitEntries {
    public static final String STAGE = "callosum.secagg.stage";
    public static final String ROUND_CONFIG = "callosum.secagg.round_config";
    public static final String CLIENT_ID = "callosum.secagg.client_id";
    public static final String LAYOUT = "callosum.secagg.layout";
    public static final String MESSAGE = "callosum.secagg.message";
    /**
     * The weight of a site's tensors of one modality ({@code callosum.secagg.weight.<modality>}, one per modality of
     * the layout) in the masked-input stage: its examples of that modality over the most any site has.
     */
    public static final String WEIGHT_PREFIX = "callosum.secagg.weight.";
    /**
     * The manifest of the tensors a site's update holds, in its answer to the first stage. It says no more than a
     * plain round's manifest would (which tensors, not their values): the rest of the site's vector is zeros.
     */
    public static final String COVERED = "callosum.secagg.covered";
    /** The SecAgg+ round id (one per round attempt) in every stage after the first, so stages never mix rounds. */
    public static final String ROUND_ID = "callosum.secagg.round_id";
    /** The federation, round and attempt a secure round belongs to: what a site's privacy ledger charges. */
    public static final String FEDERATION = "callosum.federation";
    public static final String ATTEMPT = "callosum.attempt";
    /** The distributed Gaussian mechanism asked of the sites (absent when differential privacy is off). */
    public static final String DP_NOISE_MULTIPLIER = "callosum.dp.noise_multiplier";
    public static final String DP_CLIP_NORM = "callosum.dp.clip_norm";
    /**
     * Site metrics of a round with differential privacy: ε of the round, in total and the site's whole budget, all
     * at the site's δ.
     */
    public static final String DP_ROUND_EPSILON = "privacy.round_epsilon";
    public static final String DP_TOTAL_EPSILON = "privacy.total_epsilon";
    public static final String DP_BUDGET_EPSILON = "privacy.budget_epsilon";
    public static final String DP_DELTA = "privacy.delta";
    /** The name of the one tensor of a masked input. */
    public static final String MASKED_TENSOR = "secagg/masked_input";

    private SecureFitEntries() {
    }

    public static Scalar stageEntry(SecAggStage stage) {
        return ScalarMaps.of(stage.name().toLowerCase(Locale.ROOT));
    }

    /** The stage a fit instruction or result belongs to; empty for a plain fit. */
    public static Optional<SecAggStage> stage(Map<String, Scalar> entries, String where) {
        Optional<String> tag = ScalarMaps.optionalString(entries, STAGE, where);
        if (tag.isEmpty()) {
            return Optional.empty();
        }
        for (SecAggStage stage : SecAggStage.values()) {
            if (stage.name().toLowerCase(Locale.ROOT).equals(tag.get())) {
                return Optional.of(stage);
            }
        }
        throw new ConfigFormatException(where + ": '" + STAGE + "' is '" + tag.get() + "', not a stage of "
                + List.of(SecAggStage.values()));
    }

    /** Refuses an instruction or result of another stage than the one expected. */
    public static void requireStage(Map<String, Scalar> entries, SecAggStage expected, String where) {
        Optional<SecAggStage> stage = stage(entries, where);
        if (stage.isEmpty() || stage.get() != expected) {
            throw new ConfigFormatException(where + ": expected secure-aggregation stage "
                    + expected.name().toLowerCase(Locale.ROOT) + ", got " + stage.map(Enum::name).orElse("none"));
        }
    }

    /** The entry naming the tensors of {@code update}, for a site's answer to the first stage. */
    public static Scalar coveredEntry(TensorSet update) {
        return ScalarMaps.of(update.manifest().encode());
    }

    /** The names of the tensors a site's first-stage answer says its update holds; at least one. */
    public static Set<String> covered(Map<String, Scalar> entries, String where) {
        String manifest = ScalarMaps.string(entries, COVERED, where);
        Set<String> names = new LinkedHashSet<>();
        try {
            TensorManifest.parse(manifest).specs().forEach(spec -> names.add(spec.name()));
        } catch (IllegalArgumentException e) {
            throw new ConfigFormatException(where + ": '" + COVERED + "' is no tensor manifest: " + e.getMessage());
        }
        if (names.isEmpty()) {
            throw new ConfigFormatException(where + ": '" + COVERED + "' names no tensor; an update holds at least"
                    + " one");
        }
        return names;
    }

    /** The weight entries of a masked-input instruction: one per modality. */
    public static Map<String, Scalar> weightEntries(Map<Modality, Double> weights) {
        Map<String, Scalar> entries = new LinkedHashMap<>();
        weights.forEach((modality, weight) -> entries.put(WEIGHT_PREFIX + modality.tag(), ScalarMaps.of(weight)));
        return entries;
    }

    /** The weight of each of {@code modalities} in a masked-input instruction, each in (0, 1]. */
    public static Map<Modality, Double> weights(Map<String, Scalar> entries, Set<Modality> modalities, String where) {
        Map<Modality, Double> weights = new EnumMap<>(Modality.class);
        for (Modality modality : modalities) {
            String key = WEIGHT_PREFIX + modality.tag();
            double weight = ScalarMaps.number(entries, key, where);
            if (!(weight > 0 && weight <= 1)) {
                throw new ConfigFormatException(where + ": '" + key + "' must be in (0, 1], got " + weight);
            }
            weights.put(modality, weight);
        }
        return weights;
    }

    public static TensorSet maskedTensors(MaskedUpdate update) {
        ByteBuffer words = ByteBuffer.wrap(update.toLittleEndianBytes()).order(ByteOrder.LITTLE_ENDIAN);
        return TensorSet.of(List.of(new NamedTensor(MASKED_TENSOR, Modality.PLAIN,
                NpyArray.view(DType.UINT32, Shape.of(update.length()), words))));
    }

    /** The masked input in a masked-input stage's tensors: exactly one uint32 tensor of the round's length. */
    public static MaskedUpdate maskedUpdate(TensorSet tensors, int vectorLength, String where) {
        NamedTensor tensor = tensors.get(MASKED_TENSOR).filter(t -> tensors.size() == 1).orElseThrow(() ->
                new IllegalArgumentException(where + " must hold exactly the tensor '" + MASKED_TENSOR + "', got "
                        + tensors.manifest().specs().stream().map(TensorSpec::name).toList()));
        NpyArray array = tensor.array();
        if (array.dtype() != DType.UINT32 || array.shape().rank() != 1 || array.elementCount() != vectorLength) {
            throw new IllegalArgumentException(where + ": the masked input must be " + vectorLength
                    + " uint32 values, got " + array.dtype() + " " + array.shape());
        }
        ByteBuffer data = array.toCanonical().data();
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        return MaskedUpdate.fromLittleEndianBytes(bytes);
    }
}
