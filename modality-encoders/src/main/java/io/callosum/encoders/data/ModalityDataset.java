package io.callosum.encoders.data;

import io.callosum.protocol.tensor.Modality;

import java.util.List;

/**
 * One modality's model inputs at a site: a flat, normalized vector per subject in the layout its tokenizer
 * expects, the token geometry, and the diagnosis where known ({@code -1} otherwise).
 */
public record ModalityDataset(Modality modality, InputGeometry geometry, List<String> subjects, float[][] inputs,
                              int[] diagnoses) {

    public int size() {
        return inputs.length;
    }

    public int inputLength() {
        return inputs[0].length;
    }

    public boolean labelled() {
        for (int diagnosis : diagnoses) {
            if (diagnosis < 0) {
                return false;
            }
        }
        return true;
    }
}
