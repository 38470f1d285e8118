package io.callosum.coordinator.strategy;

import io.callosum.protocol.federation.ModalityExamples;
import io.callosum.protocol.tensor.NamedTensor;
import io.callosum.protocol.tensor.TensorSet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A round that folds each update into one weighted sum per tensor as it arrives, so it holds the model's size in
 * doubles (only for tensors someone sent) plus whatever update is being added, never one copy per site.
 *
 * <p>Safe to call from several gRPC threads: validation runs unlocked (it only reads), folding is serialized.
 */
final class StreamingRound implements RoundAggregation {
    private final TensorSet global;
    private final UpdateValidator validator;
    private final ServerUpdate serverUpdate;
    private final Map<String, WeightedSum> sums = new HashMap<>();
    private final Set<String> contributors = new LinkedHashSet<>();
    private boolean finished;
    private boolean secure;

    StreamingRound(TensorSet global, ServerUpdate serverUpdate) {
        this.global = Objects.requireNonNull(global, "global");
        this.validator = new UpdateValidator(global);
        this.serverUpdate = serverUpdate;
    }

    @Override
    public void add(String site, TensorSet update, ModalityExamples examples) {
        List<NamedTensor> checked = validator.validate(site, update);
        synchronized (this) {
            requireOpen();
            if (secure) {
                throw new UpdateRejectedException(site, "this round is securely aggregated; it takes no individual"
                        + " updates");
            }
            if (contributors.contains(site)) {
                throw new UpdateRejectedException(site, "this site already contributed to this round");
            }
            for (NamedTensor tensor : checked) {
                sums.computeIfAbsent(tensor.name(), name -> new WeightedSum(tensor.array().elementCount()))
                        .add(tensor.array(), examples.of(tensor.modality()));
            }
            contributors.add(site);
        }
    }

    @Override
    public void addSecureMean(Set<String> sites, TensorSet mean, Map<String, Integer> sendersPerTensor) {
        String source = "the secure aggregate of " + sites;
        List<NamedTensor> checked = validator.validate(source, mean);
        synchronized (this) {
            requireOpen();
            if (!contributors.isEmpty()) {
                throw new UpdateRejectedException(source, "this round already has contributions " + contributors);
            }
            for (NamedTensor tensor : checked) {
                Integer senders = sendersPerTensor.get(tensor.name());
                if (senders == null || senders < 1) {
                    throw new UpdateRejectedException(source, "tensor '" + tensor.name() + "' names no senders");
                }
                WeightedSum sum = new WeightedSum(tensor.array().elementCount());
                sum.addMean(tensor.array(), senders);
                sums.put(tensor.name(), sum);
            }
            contributors.addAll(sites);
            secure = true;
        }
    }

    @Override
    public synchronized Set<String> contributors() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(contributors));
    }

    @Override
    public synchronized AggregationResult finish() {
        requireOpen();
        if (contributors.isEmpty()) {
            throw new IllegalStateException("no site contributed to this round; there is nothing to aggregate");
        }
        finished = true;
        List<NamedTensor> model = new ArrayList<>(global.size());
        Map<String, Integer> sitesPerTensor = new LinkedHashMap<>();
        for (NamedTensor tensor : global) {
            // Removed as it is consumed, so the finished sums become garbage while later tensors are stepped.
            WeightedSum sum = sums.remove(tensor.name());
            if (sum == null) {
                model.add(new NamedTensor(tensor.name(), tensor.modality(), ChunkWriter.canonical(tensor.array())));
                sitesPerTensor.put(tensor.name(), 0);
            } else {
                model.add(new NamedTensor(tensor.name(), tensor.modality(), serverUpdate.step(tensor, sum.takeMean())));
                sitesPerTensor.put(tensor.name(), sum.senders());
            }
        }
        return new AggregationResult(TensorSet.of(model), serverUpdate.nextState(global),
                Collections.unmodifiableMap(sitesPerTensor));
    }

    private void requireOpen() {
        if (finished) {
            throw new IllegalStateException("this round is already finished");
        }
    }
}
