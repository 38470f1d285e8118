package io.callosum.alignment.binding;

import io.callosum.alignment.space.SubjectEmbeddings;
import io.callosum.protocol.npy.NpyArray;
import io.callosum.protocol.tensor.NamedTensor;
import io.callosum.protocol.tensor.TensorSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The federation's part of anchor binding, in one process for tests: every round each site trains from the
 * global tensors, and each tensor becomes the subject-weighted mean over the sites that sent it (FedAvg), so a head
 * no site trained stays as it was.
 */
final class LocalFederation {
    private LocalFederation() {
    }

    /** The global tensors after {@code rounds} rounds; {@code rounds} lists every round's site results. */
    static TensorSet run(TensorSet initial, List<List<SubjectEmbeddings>> sites, BindingConfig config, int rounds,
                         List<List<BindingResult>> history) {
        TensorSet global = initial;
        for (int round = 0; round < rounds; round++) {
            List<BindingResult> results = new ArrayList<>();
            for (int site = 0; site < sites.size(); site++) {
                results.add(AnchorBinding.train(sites.get(site), global,
                        config.withSeed(config.seed() + 1000L * round + site)));
            }
            history.add(results);
            global = average(global, results);
        }
        return global;
    }

    static TensorSet average(TensorSet global, List<BindingResult> results) {
        List<NamedTensor> merged = new ArrayList<>();
        for (NamedTensor tensor : global) {
            float[] sum = new float[Math.toIntExact(tensor.array().elementCount())];
            double weight = 0;
            for (BindingResult result : results) {
                Optional<NamedTensor> sent = result.parameters().get(tensor.name());
                if (sent.isPresent()) {
                    float[] values = sent.get().array().toFloatArray();
                    for (int i = 0; i < sum.length; i++) {
                        sum[i] += values[i] * result.subjects();
                    }
                    weight += result.subjects();
                }
            }
            if (weight == 0) {
                merged.add(tensor);
                continue;
            }
            for (int i = 0; i < sum.length; i++) {
                sum[i] /= (float) weight;
            }
            merged.add(new NamedTensor(tensor.name(), tensor.modality(),
                    NpyArray.ofFloats(tensor.array().shape(), sum)));
        }
        return TensorSet.of(merged);
    }
}
