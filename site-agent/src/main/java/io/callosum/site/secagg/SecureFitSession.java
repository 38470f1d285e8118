package io.callosum.site.secagg;

import io.callosum.protocol.federation.ScalarMaps;
import io.callosum.protocol.federation.SecureFitEntries;
import io.callosum.protocol.flower.proto.Transport.Scalar;
import io.callosum.protocol.privacy.PrivacyBudgetExceededException;
import io.callosum.protocol.secagg.RoundConfig;
import io.callosum.protocol.secagg.SecAggClient;
import io.callosum.protocol.secagg.SecAggCodec;
import io.callosum.protocol.secagg.SecAggMessages.MaskedInput;
import io.callosum.protocol.secagg.SecAggStage;
import io.callosum.protocol.secagg.UpdateLayout;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.TensorManifest;
import io.callosum.protocol.tensor.TensorSet;

import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A site's side of one securely aggregated fit round, as it travels in Flower messages: after local training it
 * advertises its keys, shares them, sends its masked weighted update and reveals the shares the coordinator needs
 * to remove the masks. The plaintext update never leaves this object; what leaves is public keys, sealed shares,
 * the masked vector and shares of other sites' secrets.
 */
public final class SecureFitSession {
    private static final String WHERE = "fit_ins config";

    private final RoundConfig config;
    private final SecAggClient client;
    private final UpdateLayout layout;
    private final SitePrivacy.Release release;
    private float[] delta;

    private SecureFitSession(RoundConfig config, SecAggClient client, UpdateLayout layout,
                             SitePrivacy.Release release) {
        this.config = config;
        this.client = client;
        this.layout = layout;
        this.release = release;
    }

    /**
     * The session a first-stage fit instruction opens, before the site trains for it: a round that asks for
     * differential privacy is charged to the site's budget here, or refused when it would exceed it.
     */
    public static SecureFitSession open(Map<String, Scalar> config, SecureRandom random, SitePrivacy privacy)
            throws PrivacyBudgetExceededException {
        SecureFitEntries.requireStage(config, SecAggStage.ADVERTISE_KEYS, WHERE);
        RoundConfig round = SecAggCodec.decodeRoundConfig(ScalarMaps.bytes(config, SecureFitEntries.ROUND_CONFIG,
                WHERE));
        long id = ScalarMaps.integer(config, SecureFitEntries.CLIENT_ID, WHERE);
        UpdateLayout layout = new UpdateLayout(TensorManifest.parse(ScalarMaps.string(config,
                SecureFitEntries.LAYOUT, WHERE)));
        if (layout.length() != round.vectorLength()) {
            throw new IllegalArgumentException(WHERE + ": the layout holds " + layout.length()
                    + " values, the round config " + round.vectorLength());
        }
        SitePrivacy.Release release = privacy.admit(config, round);
        return new SecureFitSession(round, new SecAggClient(round, Math.toIntExact(id), random), layout, release);
    }

    /** Whether the site's update is clipped and noised (differential privacy): then every site weighs the same. */
    public boolean addsNoise() {
        return !release.metrics().isEmpty();
    }

    /** The secure-aggregation round this session belongs to (unique per round attempt). */
    public int round() {
        return config.round();
    }

    public RoundConfig config() {
        return config;
    }

    /**
     * Stage {@link SecAggStage#ADVERTISE_KEYS}, after local training: keeps {@code update − global} (privatized)
     * and returns the entries that advertise this round's public keys and name the tensors {@code update} holds.
     * The update may hold any of the layout's tensors (a pretraining site's modalities, an aligning site's heads).
     */
    public Map<String, Scalar> advertise(TensorSet global, TensorSet update) {
        delta = release.privatizer().apply(layout.weightedDelta(global, update, 1.0));
        Map<String, Scalar> entries = entries(SecAggStage.ADVERTISE_KEYS, SecAggCodec.encode(client.advertiseKeys()));
        entries.put(SecureFitEntries.COVERED, SecureFitEntries.coveredEntry(update));
        entries.putAll(release.metrics());
        return entries;
    }

    /** Stage {@link SecAggStage#SHARE_KEYS}: the shares of this site's secrets, sealed for each neighbour. */
    public Map<String, Scalar> shareKeys(Map<String, Scalar> instruction) {
        requireRound(instruction, SecAggStage.SHARE_KEYS);
        return entries(SecAggStage.SHARE_KEYS, SecAggCodec.encode(client.shareKeys(
                SecAggCodec.decodeNeighbourKeys(message(instruction)))));
    }

    /**
     * Stage {@link SecAggStage#MASKED_INPUT}: each tensor of the update scaled by the weight the coordinator gives
     * this site's examples of its modality (their share of the most any site has), clipped, quantized and masked, as
     * the result's tensors.
     */
    public TensorSet maskedInput(Map<String, Scalar> instruction) {
        requireRound(instruction, SecAggStage.MASKED_INPUT);
        Map<Modality, Double> weights = SecureFitEntries.weights(instruction, layout.modalities(), WHERE);
        if (addsNoise() && weights.values().stream().anyMatch(weight -> weight != 1)) {
            throw new IllegalArgumentException(WHERE + ": weights " + weights + " for a round with differential"
                    + " privacy, whose noise is calibrated to each site's whole update (weight 1)");
        }
        // Scaled in place: the vector spans the whole model, and this session holds the only reference to it.
        float[] weighted = delta;
        delta = null;
        layout.scale(weighted, weights);
        MaskedInput input = client.maskInput(SecAggCodec.decodeForwardedShares(message(instruction)), weighted);
        return SecureFitEntries.maskedTensors(input.update());
    }

    /** Stage {@link SecAggStage#UNMASKING}: the shares that remove the masks of survivors and dropped neighbours. */
    public Map<String, Scalar> unmask(Map<String, Scalar> instruction) {
        requireRound(instruction, SecAggStage.UNMASKING);
        return entries(SecAggStage.UNMASKING, SecAggCodec.encode(client.unmask(
                SecAggCodec.decodeUnmaskingRequest(message(instruction)))));
    }

    /** The stage entries a masked-input result carries beside its tensors. */
    public Map<String, Scalar> maskedInputEntries() {
        Map<String, Scalar> entries = new LinkedHashMap<>();
        entries.put(SecureFitEntries.STAGE, SecureFitEntries.stageEntry(SecAggStage.MASKED_INPUT));
        entries.put(SecureFitEntries.ROUND_ID, ScalarMaps.of(config.round()));
        return entries;
    }

    private void requireRound(Map<String, Scalar> instruction, SecAggStage stage) {
        SecureFitEntries.requireStage(instruction, stage, WHERE);
        long round = ScalarMaps.integer(instruction, SecureFitEntries.ROUND_ID, WHERE);
        if (round != config.round()) {
            throw new IllegalArgumentException(WHERE + ": stage " + stage + " of secure round " + round
                    + " arrived, this site is in secure round " + config.round());
        }
    }

    private static byte[] message(Map<String, Scalar> instruction) {
        return ScalarMaps.bytes(instruction, SecureFitEntries.MESSAGE, WHERE);
    }

    private Map<String, Scalar> entries(SecAggStage stage, byte[] message) {
        Map<String, Scalar> entries = new LinkedHashMap<>();
        entries.put(SecureFitEntries.STAGE, SecureFitEntries.stageEntry(stage));
        entries.put(SecureFitEntries.ROUND_ID, ScalarMaps.of(config.round()));
        entries.put(SecureFitEntries.MESSAGE, ScalarMaps.of(message));
        return entries;
    }
}
