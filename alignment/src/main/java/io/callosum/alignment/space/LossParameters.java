package io.callosum.alignment.space;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;

/**
 * The loss's own parameters, trained and aggregated like the heads: the log of the logit scale s = 1/τ (CLIP's
 * parameterization, clamped to s ∈ [1, 100] as CLIP does so that a few steps cannot blow it up), and for SigLIP
 * the logit bias.
 */
final class LossParameters extends AbstractBlock {
    static final String LOG_SCALE = "log_scale";
    static final String BIAS = "bias";
    private static final byte VERSION = 1;
    private static final float MAX_LOG_SCALE = (float) Math.log(100);

    private final Parameter logScale;
    private final Parameter bias;

    LossParameters(AlignmentConfig config) {
        super(VERSION);
        this.logScale = addParameter(Parameter.builder().setName(LOG_SCALE).setType(Parameter.Type.OTHER)
                .optShape(new Shape(1))
                .optInitializer(new ConstantInitializer((float) Math.log(1 / config.temperature())))
                .optRequiresGrad(config.learnTemperature()).build());
        this.bias = config.loss().usesBias() ? addParameter(Parameter.builder().setName(BIAS)
                .setType(Parameter.Type.OTHER).optShape(new Shape(1))
                .optInitializer(new ConstantInitializer(config.loss().initialBias())).build()) : null;
    }

    /** s = exp(log s), attached to {@code manager} (whose device it is on) so that it goes with the batch. */
    NDArray scale(ParameterStore store, NDManager manager, boolean training) {
        NDArray clipped = store.getValue(logScale, manager.getDevice(), training).clip(0f, MAX_LOG_SCALE);
        clipped.attach(manager);
        return clipped.exp();
    }

    /** The logit bias parameter itself, or null for a loss without one. */
    NDArray bias(ParameterStore store, NDManager manager, boolean training) {
        return bias == null ? null : store.getValue(bias, manager.getDevice(), training);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDManager manager = inputs.head().getManager();
        NDArray scale = scale(store, manager, training);
        return bias == null ? new NDList(scale) : new NDList(scale, bias(store, manager, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return bias == null ? new Shape[] {new Shape(1)} : new Shape[] {new Shape(1), new Shape(1)};
    }
}
