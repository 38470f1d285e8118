package io.callosum.encoders.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;

/**
 * EEG: every channel cut into time patches of {@code patch} samples; each patch becomes its log power spectrum
 * (Hann window, one bin per {@code rate / patch} Hz), projected linearly, plus a learned embedding of the channel,
 * so that one projection serves all electrodes and the model still knows where each lies.
 *
 * <p>Why a spectrum rather than the waveform: what tells EEG recordings apart (band power, the alpha peak's
 * frequency, the background's 1/f slope) lives in power, while the phase of every rhythm is random. A linear
 * projection of raw samples cannot compute power, so a waveform tokenizer leaves the transformer to rediscover
 * squaring from a few hundred recordings; pretrained that way on the synthetic cohort it represented neither the
 * alpha frequency nor the background slope (ridge R² ≤ 0.11), which a ridge regression on log spectra recovers
 * with R² 0.84. The transform is fixed (no parameters), a matrix product, so it runs wherever the model does.
 */
public final class MontagePatchTokenizer extends Tokenizer {
    /** Keeps the log finite on flat patches; inputs are standardized per recording, so power is of order one. */
    private static final float POWER_FLOOR = 1e-4f;

    private final int channels;
    private final int patch;
    private final int timePatches;
    private final int bins;
    private final float[] cosines;
    private final float[] sines;
    private final Linear projection;
    private final Parameter channelEmbedding;

    public MontagePatchTokenizer(int channels, int samples, int patch, int dim) {
        super(dim, channels * (samples / patch));
        this.channels = channels;
        this.patch = patch;
        this.timePatches = samples / patch;
        if (timePatches < 2) {
            throw new IllegalArgumentException(samples + " samples make fewer than two patches of " + patch);
        }
        this.bins = patch / 2 + 1;
        this.cosines = new float[patch * bins];
        this.sines = new float[patch * bins];
        double norm = 0;
        double[] window = new double[patch];
        for (int t = 0; t < patch; t++) {
            window[t] = 0.5 - 0.5 * Math.cos(2 * Math.PI * t / patch);
            norm += window[t] * window[t];
        }
        double scale = 1 / Math.sqrt(norm);
        for (int t = 0; t < patch; t++) {
            for (int k = 0; k < bins; k++) {
                double angle = 2 * Math.PI * t * k / patch;
                cosines[t * bins + k] = (float) (scale * window[t] * Math.cos(angle));
                sines[t * bins + k] = (float) (scale * window[t] * Math.sin(angle));
            }
        }
        this.projection = addChildBlock("projection", Linear.builder().setUnits(dim).build());
        this.channelEmbedding = addParameter(Parameter.builder().setName("channels").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(channels, dim)).optInitializer(new NormalInitializer(0.02f)).build());
    }

    @Override
    public int tokenCount() {
        return channels * timePatches;
    }

    @Override
    public int[] grid() {
        return new int[] {channels, timePatches};
    }

    /** Frequency bins per patch: DC to Nyquist. */
    public int bins() {
        return bins;
    }

    @Override
    protected NDArray embed(ParameterStore store, NDArray input, boolean training) {
        long batch = input.getShape().get(0);
        NDArray patches = input.reshape(batch, channels, timePatches * (long) patch)
                .get(":, :, :" + (long) timePatches * patch)
                .reshape(batch, tokenCount(), patch);
        NDArray spectra = logPowerSpectra(patches);
        NDArray tokens = projection.forward(store, new NDList(spectra), training).singletonOrThrow();
        NDArray perChannel = store.getValue(channelEmbedding, input.getDevice(), training)
                .expandDims(1).repeat(1, timePatches).reshape(tokenCount(), dim);
        return tokens.add(perChannel);
    }

    /** {@code (batch, tokens, patch)} samples to {@code (batch, tokens, bins)} log power, on the input's device. */
    NDArray logPowerSpectra(NDArray patches) {
        NDManager manager = patches.getManager();
        Shape basis = new Shape(patch, bins);
        NDArray real = patches.matMul(manager.create(cosines, basis).toDevice(patches.getDevice(), false));
        NDArray imaginary = patches.matMul(manager.create(sines, basis).toDevice(patches.getDevice(), false));
        return real.square().add(imaginary.square()).add(POWER_FLOOR).log();
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        projection.initialize(manager, dataType, new Shape(1, tokenCount(), bins));
    }
}
