package io.callosum.protocol.federation;

import io.callosum.protocol.flower.proto.Transport.Scalar;
import io.callosum.protocol.tensor.Modality;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a site agent is asked to do in one round's {@code FitIns}: local JEPA steps with these settings on the
 * model of this shape. FedProx's {@code proximalMu} is 0 under the other strategies. {@code decaySteps} &gt; 0 asks
 * for the learning rate to follow a cosine to 0 over that many steps of the whole federation, of which
 * {@code decayStart} were taken in earlier rounds; 0 (or a coordinator that sends neither) keeps it constant.
 * {@code batchSampling} says how a site's batches draw its subjects ({@value #UNIFORM_SAMPLING} where a coordinator
 * sends none; the site agent knows the others). {@code modalityLambdas} overrides {@code lambda} for the data
 * modalities it names (each as {@code callosum.fit.lambda.<modality>}); a coordinator that sends none asks for one
 * λ throughout.
 */
public record FitPlan(int round, int localSteps, double learningRate, int decaySteps, int decayStart, int batchSize,
                      String batchSampling, String objective, double lambda, Map<Modality, Double> modalityLambdas,
                      double proximalMu, ModelPlan model) {
    public static final String ROUND = "callosum.round";
    public static final String PROXIMAL_MU = "callosum.proximal_mu";
    public static final String UNIFORM_SAMPLING = "uniform";
    private static final String PREFIX = "callosum.fit.";
    private static final String MODALITY_LAMBDA = PREFIX + "lambda.";

    public FitPlan {
        modalityLambdas = modalityLambdas == null ? Map.of() : Map.copyOf(modalityLambdas);
        modalityLambdas.keySet().forEach(modality -> requireEncoder(modality, "fit plan: a λ"));
        if (decaySteps < 0 || decayStart < 0 || decayStart > decaySteps) {
            throw new ConfigFormatException("fit_ins config: the learning-rate decay must start within its steps, got"
                    + " step " + decayStart + " of " + decaySteps);
        }
    }

    public Map<String, Scalar> toConfig() {
        Map<String, Scalar> config = new LinkedHashMap<>();
        config.put(ROUND, ScalarMaps.of(round));
        config.put(PREFIX + "local_steps", ScalarMaps.of(localSteps));
        config.put(PREFIX + "learning_rate", ScalarMaps.of(learningRate));
        config.put(PREFIX + "lr_decay_steps", ScalarMaps.of(decaySteps));
        config.put(PREFIX + "lr_decay_start", ScalarMaps.of(decayStart));
        config.put(PREFIX + "batch_size", ScalarMaps.of(batchSize));
        config.put(PREFIX + "batch_sampling", ScalarMaps.of(batchSampling));
        config.put(PREFIX + "objective", ScalarMaps.of(objective));
        config.put(PREFIX + "lambda", ScalarMaps.of(lambda));
        new TreeMap<>(modalityLambdas).forEach((modality, value) ->
                config.put(MODALITY_LAMBDA + modality.tag(), ScalarMaps.of(value)));
        config.put(PROXIMAL_MU, ScalarMaps.of(proximalMu));
        model.writeTo(config);
        return config;
    }

    public static FitPlan from(Map<String, Scalar> config) {
        String where = "fit_ins config";
        return new FitPlan(
                ScalarMaps.positiveInt(config, ROUND, where),
                ScalarMaps.positiveInt(config, PREFIX + "local_steps", where),
                ScalarMaps.number(config, PREFIX + "learning_rate", where),
                ScalarMaps.optionalCount(config, PREFIX + "lr_decay_steps", where),
                ScalarMaps.optionalCount(config, PREFIX + "lr_decay_start", where),
                ScalarMaps.positiveInt(config, PREFIX + "batch_size", where),
                ScalarMaps.optionalString(config, PREFIX + "batch_sampling", where).orElse(UNIFORM_SAMPLING),
                ScalarMaps.string(config, PREFIX + "objective", where),
                ScalarMaps.number(config, PREFIX + "lambda", where),
                modalityLambdas(config, where),
                ScalarMaps.optionalNumber(config, PROXIMAL_MU, where).orElse(0.0),
                ModelPlan.from(config, where));
    }

    /** The objective's weight for {@code modality}'s encoder: its own where the plan names one, else the plan's. */
    public double lambda(Modality modality) {
        return modalityLambdas.getOrDefault(modality, lambda);
    }

    private static Map<Modality, Double> modalityLambdas(Map<String, Scalar> config, String where) {
        Map<Modality, Double> lambdas = ScalarMaps.byModality(config, MODALITY_LAMBDA, where, ScalarMaps::number);
        lambdas.keySet().forEach(modality ->
                requireEncoder(modality, where + ": '" + MODALITY_LAMBDA + modality.tag() + "'"));
        return lambdas;
    }

    private static void requireEncoder(Modality modality, String what) {
        if (!Modality.DATA.contains(modality)) {
            throw new ConfigFormatException(what + " names " + modality + ", which has no encoder (expected one of "
                    + Modality.DATA + ")");
        }
    }
}
