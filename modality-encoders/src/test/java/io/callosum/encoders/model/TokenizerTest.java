package io.callosum.encoders.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.callosum.encoders.data.InputGeometry;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenizerTest {

    @Test
    void eachModalityBecomesBatchByTokensByDim() {
        try (NDManager manager = NDManager.newBaseManager()) {
            assertTokens(manager, new InputGeometry.Volume(16), new EncoderConfig(8, 1, 2, 8, 1, 4, 1), 64);
            assertTokens(manager, new InputGeometry.Montage(19, 256), new EncoderConfig(8, 1, 2, 8, 1, 64, 1), 76);
            assertTokens(manager, new InputGeometry.Features(60), new EncoderConfig(8, 1, 2, 8, 1, 1, 6), 6);
        }
    }

    @Test
    void aVolumePatchHoldsTheVoxelsOfOneCube() {
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] volume = new float[8 * 8 * 8];
            volume[5 + 8 * (1 + 8 * 6)] = 1f;
            NDArray patches = new VolumePatchTokenizer(8, 4, 4).patches(manager.create(volume).reshape(1, volume.length));
            // voxel (x=5, y=1, z=6) lies in patch (z=1, y=0, x=1) = token 5, at offset (2, 1, 1) inside it
            assertEquals(1f, patches.getFloat(0, 5, (2 * 4 + 1) * 4 + 1));
        }
    }

    @Test
    void anEegPatchBecomesItsLogPowerSpectrumWhateverTheRhythmsPhase() {
        try (NDManager manager = NDManager.newBaseManager()) {
            MontagePatchTokenizer tokenizer = new MontagePatchTokenizer(1, 256, 128, 8);
            assertEquals(65, tokenizer.bins());
            float[] early = new float[128];
            float[] late = new float[128];
            for (int t = 0; t < 128; t++) {
                early[t] = (float) Math.sin(2 * Math.PI * 10 * t / 128);
                late[t] = (float) Math.sin(2 * Math.PI * 10 * t / 128 + 2.0);
            }
            NDArray spectra = tokenizer.logPowerSpectra(manager.create(new float[][] {early, late}).reshape(1, 2, 128));

            assertEquals(new Shape(1, 2, 65), spectra.getShape());
            assertEquals(10, spectra.get(0, 0).argMax().getLong(), "10 cycles per patch peak in bin 10");
            float[] first = spectra.get(0, 0).toFloatArray();
            float[] second = spectra.get(0, 1).toFloatArray();
            for (int k = 8; k <= 12; k++) {
                assertEquals(first[k], second[k], 1e-3, "bin " + k + " does not depend on the phase");
            }
            assertTrue(first[10] - first[30] > 8, "the Hann window keeps far bins " + Math.exp(first[30] - first[10])
                    + " of the peak's power");
        }
    }

    private static void assertTokens(NDManager manager, InputGeometry geometry, EncoderConfig config, int tokens) {
        ModalityEncoder encoder = new ModalityEncoder(geometry, config);
        encoder.initialize(manager, DataType.FLOAT32, new Shape(2, geometry.inputLength()));
        ParameterStore store = new ParameterStore(manager, false);
        NDArray input = manager.randomNormal(new Shape(2, geometry.inputLength()));

        assertEquals(new Shape(2, tokens, 8), encoder.tokens(store, input, false).getShape());
        assertEquals(new Shape(2, 8), encoder.forward(store, new NDList(input), false).singletonOrThrow().getShape());
    }
}
