package io.callosum.coordinator.federation;

import io.callosum.coordinator.strategy.StrategySettings;
import io.callosum.protocol.federation.ModelPlan;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.TensorSet;

import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;

/**
 * Everything that defines a federation, stored with it so that a restarted coordinator resumes it unchanged
 * whatever its configuration says now.
 */
public record FederationPlan(String name, FederationKind kind, int rounds, int minSites, double fractionFit,
                             Duration roundDeadline, int maxAttempts, boolean evaluate, StrategySettings strategy,
                             LocalTrainingPlan training, ModelPlan model, SecureAggregationPlan secureAggregation,
                             DifferentialPrivacyPlan privacy, AlignmentPlan alignment) {
    public FederationPlan {
        Objects.requireNonNull(name, "name");
        // Federations stored before secure aggregation existed were not securely aggregated.
        secureAggregation = secureAggregation == null ? SecureAggregationPlan.off() : secureAggregation;
        privacy = privacy == null ? DifferentialPrivacyPlan.off() : privacy;
        if (privacy.enabled() && !secureAggregation.enabled()) {
            throw new IllegalArgumentException("differential privacy splits the noise across the sites, so it needs"
                    + " secure aggregation: only the noisy sum may be seen");
        }
        if (secureAggregation.enabled() && kind == FederationKind.PLAIN) {
            throw new IllegalArgumentException("secure aggregation is Callosum's own protocol; plain Flower"
                    + " federations cannot use it");
        }
        if (secureAggregation.enabled() && minSites < SecureAggregationPlan.MIN_SITES) {
            throw new IllegalArgumentException("secure aggregation needs at least " + SecureAggregationPlan.MIN_SITES
                    + " sites per round (with two, each site could subtract its own update from the sum), got"
                    + " min sites " + minSites);
        }
        if ((kind == FederationKind.ALIGNMENT) != (alignment != null)) {
            throw new IllegalArgumentException("an alignment plan belongs to, and only to, an alignment federation;"
                    + " got kind " + kind + " with alignment " + alignment);
        }
        if (rounds < 1 || minSites < 1 || maxAttempts < 1) {
            throw new IllegalArgumentException("rounds, min sites and attempts must be at least 1, got " + rounds
                    + ", " + minSites + ", " + maxAttempts);
        }
        if (!(fractionFit > 0 && fractionFit <= 1)) {
            throw new IllegalArgumentException("fraction of sites per round must be in (0, 1], got " + fractionFit);
        }
        if (roundDeadline.isNegative() || roundDeadline.isZero()) {
            throw new IllegalArgumentException("round deadline must be positive, got " + roundDeadline);
        }
    }

    /** A JEPA or plain federation: no alignment plan. */
    public FederationPlan(String name, FederationKind kind, int rounds, int minSites, double fractionFit,
                          Duration roundDeadline, int maxAttempts, boolean evaluate, StrategySettings strategy,
                          LocalTrainingPlan training, ModelPlan model, SecureAggregationPlan secureAggregation,
                          DifferentialPrivacyPlan privacy) {
        this(name, kind, rounds, minSites, fractionFit, roundDeadline, maxAttempts, evaluate, strategy, training,
                model, secureAggregation, privacy, null);
    }

    public static FederationPlan from(FederationSettings settings) {
        FederationSettings.Strategy s = settings.strategy();
        FederationSettings.Training t = settings.training();
        FederationSettings.Model m = settings.model();
        return new FederationPlan(settings.name(), settings.kind(), settings.rounds(), settings.minSites(),
                settings.fractionFit(), settings.roundDeadline(), settings.maxAttempts(), settings.evaluate(),
                new StrategySettings(s.name(), s.proximalMu(),
                        s.serverLearningRate().orElseGet(() -> StrategySettings.defaultServerLearningRate(s.name())),
                        s.serverMomentum(), s.beta1(), s.beta2(), s.tau()),
                new LocalTrainingPlan(t.localSteps(), t.learningRate(), t.batchSize(), t.objective(), t.lambda(),
                        t.learningRateSchedule(), t.batchSampling(), modalityLambdas(t.modalityLambda())),
                new ModelPlan(m.dim(), m.depth(), m.heads(), m.predictorDim(), m.predictorDepth(), m.imagingPatch(),
                        m.eegPatch(), m.omicsGroups(), m.seed()),
                SecureAggregationPlan.configured(settings.secureAggregation()),
                new DifferentialPrivacyPlan(settings.differentialPrivacy().noiseMultiplier(),
                        settings.differentialPrivacy().clipNorm(), settings.differentialPrivacy().delta()));
    }

    private static Map<Modality, Double> modalityLambdas(Map<String, Double> byTag) {
        Map<Modality, Double> lambdas = new EnumMap<>(Modality.class);
        byTag.forEach((tag, lambda) -> {
            try {
                lambdas.put(Modality.fromTag(tag), lambda);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("callosum.federation.training.modality-lambda." + tag + ": "
                        + e.getMessage(), e);
            }
        });
        return lambdas;
    }

    /** The same federation under another name: how tests and operators run variants side by side. */
    public FederationPlan named(String newName) {
        return new FederationPlan(newName, kind, rounds, minSites, fractionFit, roundDeadline, maxAttempts, evaluate,
                strategy, training, model, secureAggregation, privacy, alignment);
    }

    /** The same federation, securely aggregated as {@code secure} says. */
    public FederationPlan withSecureAggregation(SecureAggregationPlan secure) {
        return new FederationPlan(name, kind, rounds, minSites, fractionFit, roundDeadline, maxAttempts, evaluate,
                strategy, training, model, secure, privacy, alignment);
    }

    /** The same federation with its sites adding noise as {@code dp} says. */
    public FederationPlan withPrivacy(DifferentialPrivacyPlan dp) {
        return new FederationPlan(name, kind, rounds, minSites, fractionFit, roundDeadline, maxAttempts, evaluate,
                strategy, training, model, secureAggregation, dp, alignment);
    }

    /**
     * The part of {@code global} the sites' updates may change: all of it, but in an alignment federation only the
     * shared space, since the encoders stay frozen. A secure round's vector spans exactly these tensors.
     */
    public TensorSet trainable(TensorSet global) {
        return kind == FederationKind.ALIGNMENT ? global.select(EnumSet.of(Modality.SHARED)) : global;
    }

    public String objective() {
        return switch (kind) {
            case PLAIN -> "plain";
            case ALIGNMENT -> "alignment";
            case JEPA -> training.objective();
        };
    }
}
