package io.callosum.coordinator.federation;

import io.callosum.coordinator.flower.FlowerMetrics;
import io.callosum.coordinator.participants.Participant;
import io.callosum.coordinator.strategy.RoundAggregation;
import io.callosum.coordinator.strategy.Strategy;
import io.callosum.protocol.federation.ModalityExamples;
import io.callosum.protocol.federation.ScalarMaps;
import io.callosum.protocol.federation.SecureFitEntries;
import io.callosum.protocol.flower.FlowerParameters;
import io.callosum.protocol.flower.proto.Transport.ClientMessage;
import io.callosum.protocol.flower.proto.Transport.Parameters;
import io.callosum.protocol.flower.proto.Transport.Scalar;
import io.callosum.protocol.flower.proto.Transport.ServerMessage;
import io.callosum.protocol.privacy.GaussianMechanism;
import io.callosum.protocol.privacy.PrivacySettings;
import io.callosum.protocol.secagg.MaskExpansion;
import io.callosum.protocol.secagg.RoundConfig;
import io.callosum.protocol.secagg.SecAggAbortedException;
import io.callosum.protocol.secagg.SecAggCodec;
import io.callosum.protocol.secagg.SecAggMessages.AdvertisedKeys;
import io.callosum.protocol.secagg.SecAggMessages.AggregateSum;
import io.callosum.protocol.secagg.SecAggMessages.MaskedInput;
import io.callosum.protocol.secagg.SecAggStage;
import io.callosum.protocol.secagg.SecureAggregator;
import io.callosum.protocol.secagg.UpdateLayout;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.TensorSet;
import io.callosum.protocol.tensor.TensorSpec;
import org.jboss.logging.Logger;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * One securely aggregated fit (SecAgg+, Bell et al. 2020) carried in Flower's {@code FitIns}/{@code FitRes}: the
 * sites train and advertise keys, share them, send masked weighted updates, and reveal the shares that remove
 * the masks. The coordinator's side is a {@link SecureAggregator}, which folds each masked vector into its running
 * sum as it arrives and has no way to unmask one; the only plaintext this class ever gets is the survivors' sum,
 * which becomes the round's one input to the strategy ({@link RoundAggregation#addSecureMean}).
 *
 * <p>All sites mask a vector spanning every tensor the round may change ({@link FederationPlan#trainable}: the
 * whole model in pretraining, the shared space's heads in alignment), with zeros for the tensors their update does
 * not hold, so one round serves sites with different modalities or heads. Each site names the tensors its update
 * holds when it advertises its keys, and scales each tensor by its share of the examples of that tensor's modality
 * (its count over the largest count in the round: training subjects of that modality in pretraining, subjects paired
 * with the anchor in alignment); the coordinator divides each tensor's sum by the total share of the surviving sites
 * that hold it, which is FedAvg's examples-weighted mean per tensor over the sites that sent it.
 */
final class SecureFit {
    private static final Logger LOG = Logger.getLogger(SecureFit.class);
    private static final Parameters NO_TENSORS = Parameters.newBuilder()
            .setTensorType(FlowerParameters.TENSOR_TYPE).build();

    private final FederationPlan plan;
    private final Exchange exchange;
    private final Payloads payloads;
    private final FlowerMetrics metrics;
    private final SecureRandom random = new SecureRandom();

    SecureFit(FederationPlan plan, Exchange exchange, Payloads payloads, FlowerMetrics metrics) {
        this.plan = plan;
        this.exchange = exchange;
        this.payloads = payloads;
        this.metrics = metrics;
    }

    /** How the sites fared, and why the round aborted if it did (nothing is folded in then). */
    record Result(List<ParticipantOutcome> outcomes, Optional<String> abort, Map<String, Object> summary) {
        /** The round metrics a secure round adds: {@code secure_aggregation.<figure>}. */
        Map<String, Double> roundMetrics() {
            Map<String, Double> metrics = new LinkedHashMap<>();
            summary.forEach((key, value) -> metrics.put("secure_aggregation." + key, value instanceof List<?> list
                    ? (double) list.size() : ((Number) value).doubleValue()));
            return metrics;
        }
    }

    Result fit(String tag, int round, int attempt, long roundId, List<Participant> selected, TensorSet global,
               RoundAggregation aggregation, Strategy strategy, Instant deadline) throws InterruptedException {
        Run run = new Run(tag, selected, global, roundId);
        try {
            run.advertise(round, attempt, strategy, deadline);
            run.shareKeys();
            run.maskInputs();
            run.unmask();
            AggregateSum sum = run.aggregator.unmaskSum();
            run.fold(sum, aggregation);
            return new Result(run.outcomes(), Optional.empty(), run.summary(sum));
        } catch (SecAggAbortedException e) {
            LOG.warnf("%s %s; nothing of this attempt is kept", tag, e.getMessage());
            return new Result(run.outcomes(), Optional.of(e.getMessage()), Map.of());
        }
    }

    /** The state of one secure round: who is who, who is still in, and how each site fared so far. */
    private final class Run {
        private final String tag;
        private final TensorSet global;
        private final UpdateLayout layout;
        private final RoundConfig config;
        private final SecureAggregator aggregator;
        private final Map<Integer, Participant> sites = new TreeMap<>();
        private final Map<Integer, ModalityExamples> examples = new HashMap<>();
        /** Each site's weight per modality of the layout: its examples of it over the most any site has. */
        private final Map<Integer, Map<Modality, Double>> weights = new HashMap<>();
        /** The tensors each site's update holds, as it said when it advertised its keys. */
        private final Map<Integer, Set<String>> covered = new HashMap<>();
        /** Each site's outcome while it answers every stage: its training figures, bytes and time added up. */
        private final Map<Integer, ParticipantOutcome> answering = new TreeMap<>();
        /** Where each site that stopped answering dropped out, and why. */
        private final Map<Integer, ParticipantOutcome> failed = new TreeMap<>();
        private final Set<Integer> contributors = new HashSet<>();

        Run(String tag, List<Participant> selected, TensorSet global, long roundId) {
            this.tag = tag;
            this.global = global;
            this.layout = new UpdateLayout(plan.trainable(global).manifest());
            List<Participant> byName = selected.stream().sorted(Comparator.comparing(Participant::name)).toList();
            for (int id = 0; id < byName.size(); id++) {
                sites.put(id, byName.get(id));
            }
            int neighbours = RoundConfig.recommendedNeighbours(sites.size());
            int threshold = Math.max(RoundConfig.minimumThreshold(neighbours), Math.min(plan.minSites(), neighbours));
            byte[] graphSeed = new byte[MaskExpansion.SEED_BYTES];
            random.nextBytes(graphSeed);
            double clip = plan.secureAggregation().clip();
            DifferentialPrivacyPlan privacy = plan.privacy();
            if (privacy.enabled()) {
                // The quantizer must never saturate a noisy coordinate, or the sum would not be the mechanism's.
                clip = Math.max(clip, GaussianMechanism.coordinateBound(privacy.clipNorm(),
                        privacy.noiseMultiplier(), sites.size()));
            }
            this.config = new RoundConfig(Math.toIntExact(roundId), List.copyOf(sites.keySet()), layout.length(),
                    neighbours, threshold, clip, graphSeed);
            this.aggregator = new SecureAggregator(config);
            LOG.infof("%s secure aggregation over %d sites: %d neighbours each, threshold %d, %d values clipped to"
                    + " ±%s", tag, sites.size(), neighbours, threshold, layout.length(), config.clip());
        }

        void advertise(int round, int attempt, Strategy strategy, Instant deadline) throws InterruptedException {
            Map<String, Scalar> shared = new LinkedHashMap<>();
            shared.put(SecureFitEntries.STAGE, SecureFitEntries.stageEntry(SecAggStage.ADVERTISE_KEYS));
            shared.put(SecureFitEntries.FEDERATION, ScalarMaps.of(plan.name()));
            shared.put(SecureFitEntries.ATTEMPT, ScalarMaps.of(attempt));
            if (plan.privacy().enabled()) {
                shared.put(SecureFitEntries.DP_NOISE_MULTIPLIER, ScalarMaps.of(plan.privacy().noiseMultiplier()));
                shared.put(SecureFitEntries.DP_CLIP_NORM, ScalarMaps.of(plan.privacy().clipNorm()));
            }
            shared.put(SecureFitEntries.ROUND_CONFIG, ScalarMaps.of(SecAggCodec.encode(config)));
            shared.put(SecureFitEntries.LAYOUT, ScalarMaps.of(layout.manifest().encode()));
            Map<Set<Modality>, Payloads.Outgoing> prepared = new HashMap<>();
            Map<Integer, ServerMessage> instructions = new TreeMap<>();
            Map<Integer, Long> bytesOut = new HashMap<>();
            Map<Integer, TensorSet> sent = new HashMap<>();
            sites.forEach((id, site) -> {
                Payloads.Outgoing outgoing = exchange.outgoing(site, global, prepared);
                sent.put(id, outgoing.tensors());
                Map<String, Scalar> entries = new LinkedHashMap<>(shared);
                entries.put(SecureFitEntries.CLIENT_ID, ScalarMaps.of(id));
                instructions.put(id, exchange.fitInstruction(round, strategy, outgoing, entries));
                bytesOut.put(id, outgoing.tensors().byteSize());
            });
            stage(SecAggStage.ADVERTISE_KEYS, instructions, bytesOut, deadline, (id, result) -> {
                AdvertisedKeys keys = SecAggCodec.decodeAdvertisedKeys(message(result));
                requireSender(id, keys.client());
                ModalityExamples trained = ModalityExamples.in(result.getNumExamples(), result.getMetricsMap(),
                        "fit_res");
                Set<String> holds = coverage(result, sent.get(id));
                aggregator.acceptKeys(keys);
                examples.put(id, trained);
                covered.put(id, holds);
                return 0;
            });
        }

        void shareKeys() throws InterruptedException {
            Map<Integer, ServerMessage> instructions = new TreeMap<>();
            aggregator.closeAdvertising().forEach((id, keys) -> instructions.put(id,
                    stageInstruction(SecAggStage.SHARE_KEYS, SecAggCodec.encode(keys), Map.of())));
            stage(SecAggStage.SHARE_KEYS, instructions, Map.of(), stageDeadline(), (id, result) -> {
                var shares = SecAggCodec.decodeEncryptedShares(message(result));
                requireSender(id, shares.sender());
                aggregator.acceptShares(shares);
                return 0;
            });
        }

        void maskInputs() throws InterruptedException {
            Map<Integer, ServerMessage> instructions = new TreeMap<>();
            var forwarded = aggregator.closeSharing();
            Map<Modality, Long> largest = largestExamples(forwarded.keySet());
            forwarded.forEach((id, shares) -> {
                Map<Modality, Double> weight = weightsOf(id, largest);
                weights.put(id, weight);
                instructions.put(id, stageInstruction(SecAggStage.MASKED_INPUT, SecAggCodec.encode(shares),
                        SecureFitEntries.weightEntries(weight)));
            });
            stage(SecAggStage.MASKED_INPUT, instructions, Map.of(), stageDeadline(), (id, result) -> {
                Payloads.Incoming incoming = payloads.incoming(sites.get(id).name(), result.getParameters(),
                        result.getMetricsMap(), TensorSet.of(List.of()));
                try {
                    aggregator.acceptMaskedInput(new MaskedInput(id, SecureFitEntries.maskedUpdate(
                            incoming.tensors(), config.vectorLength(), sites.get(id).name() + "'s masked input")));
                    long bytes = incoming.tensors().byteSize();
                    metrics.parametersReceived(bytes);
                    return bytes;
                } finally {
                    payloads.release(incoming);
                }
            });
        }

        void unmask() throws InterruptedException {
            Map<Integer, ServerMessage> instructions = new TreeMap<>();
            aggregator.closeMaskedInput().forEach((id, request) -> instructions.put(id,
                    stageInstruction(SecAggStage.UNMASKING, SecAggCodec.encode(request), Map.of())));
            stage(SecAggStage.UNMASKING, instructions, Map.of(), stageDeadline(), (id, result) -> {
                var shares = SecAggCodec.decodeUnmaskingShares(message(result));
                requireSender(id, shares.sender());
                aggregator.acceptUnmaskingShares(shares);
                return 0;
            });
        }

        /** Per modality of the layout, the most examples of it any of {@code sites} has. */
        private Map<Modality, Long> largestExamples(Set<Integer> sites) {
            Map<Modality, Long> largest = new EnumMap<>(Modality.class);
            for (Modality modality : layout.modalities()) {
                largest.put(modality, sites.stream().mapToLong(site -> examples.get(site).of(modality)).max()
                        .orElse(1));
            }
            return largest;
        }

        /**
         * Per modality of the layout, {@code id}'s examples of it over the {@code largest}, so that each tensor is
         * weighted by the examples of its own modality. Under differential privacy every site counts once: the
         * noise is calibrated to one site's whole update.
         */
        private Map<Modality, Double> weightsOf(int id, Map<Modality, Long> largest) {
            Map<Modality, Double> weight = new EnumMap<>(Modality.class);
            largest.forEach((modality, most) -> weight.put(modality, plan.privacy().enabled() ? 1.0
                    : (double) examples.get(id).of(modality) / most));
            return weight;
        }

        /**
         * The tensors a site's first-stage answer says its update holds: each must have a place in the round's
         * vector and have been sent to this site, so no site counts towards a tensor it could not have trained.
         */
        private Set<String> coverage(ClientMessage.FitRes result, TensorSet sent) {
            Set<String> holds = SecureFitEntries.covered(result.getMetricsMap(), "fit_res metrics");
            for (String name : holds) {
                if (!layout.contains(name)) {
                    throw new IllegalArgumentException("the update claims tensor '" + name + "', which this "
                            + plan.kind().tag() + " round does not aggregate (it aggregates "
                            + layout.manifest().size() + " tensors of " + plan.trainable(global).modalities() + ")");
                }
                if (sent.get(name).isEmpty()) {
                    throw new IllegalArgumentException("the update claims tensor '" + name
                            + "', which this site was not sent");
                }
            }
            return holds;
        }

        /** Per tensor, the contributors' summed weighted deltas over their total weight, added to the global. */
        void fold(AggregateSum sum, RoundAggregation aggregation) {
            Map<String, Double> divisors = new LinkedHashMap<>();
            Map<String, Integer> senders = new LinkedHashMap<>();
            for (TensorSpec tensor : layout.manifest().specs()) {
                for (int id : sum.contributors()) {
                    if (covered.get(id).contains(tensor.name())) {
                        divisors.merge(tensor.name(), weights.get(id).get(tensor.modality()), Double::sum);
                        senders.merge(tensor.name(), 1, Integer::sum);
                    }
                }
            }
            TensorSet mean = layout.applyMeanDeltas(global, sum.sum(), divisors);
            contributors.addAll(sum.contributors());
            aggregation.addSecureMean(new LinkedHashSet<>(names(sum.contributors())), mean, senders);
            LOG.infof("%s unmasked the sum of %d sites (dropped after sharing keys: %s)", tag,
                    sum.contributors().size(), names(sum.dropped()));
        }

        Map<String, Object> summary(AggregateSum sum) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("contributors", names(sum.contributors()));
            summary.put("dropped", names(sum.dropped()));
            summary.put("neighbours", config.neighbours());
            summary.put("threshold", config.threshold());
            summary.put("clip", config.clip());
            summary.put("quantization_error_bound", config.quantizer().sumErrorBound(sum.contributors().size()));
            if (plan.privacy().enabled()) {
                summary.put("effective_noise_multiplier", effectiveNoiseMultiplier());
            }
            return summary;
        }

        /**
         * Each site's outcome: its training figures if its masked update is in the sum (even if it then missed the
         * unmasking stage, which SecAgg+ tolerates), else the stage where it dropped.
         */
        List<ParticipantOutcome> outcomes() {
            List<ParticipantOutcome> list = new ArrayList<>();
            for (int id : sites.keySet()) {
                boolean contributed = contributors.contains(id) || !failed.containsKey(id);
                list.add(contributed ? answering.get(id) : failed.get(id));
            }
            return list;
        }

        private void stage(SecAggStage stage, Map<Integer, ServerMessage> instructions, Map<Integer, Long> bytesOut,
                           Instant deadline, StageHandler handler) throws InterruptedException {
            Exchange.Guard guard = new Exchange.Guard();
            List<Exchange.Pending> pending = new ArrayList<>();
            Map<String, Integer> ids = new HashMap<>();
            instructions.forEach((id, instruction) -> {
                Participant site = sites.get(id);
                ids.put(site.name(), id);
                long sentAt = System.nanoTime();
                long sent = bytesOut.getOrDefault(id, 0L);
                CompletableFuture<ParticipantOutcome> outcome = site.ask(instruction).handle((answer, error) ->
                        answered(stage, id, answer, error, sentAt, sent, guard, handler));
                metrics.parametersSent(sent);
                pending.add(new Exchange.Pending(site, sentAt, sent, ParticipantOutcome.Phase.FIT, outcome));
            });
            List<ParticipantOutcome> results = Exchange.collect(pending, deadline);
            guard.close();
            for (ParticipantOutcome result : results) {
                int id = ids.get(result.participant());
                ParticipantOutcome earlier = answering.get(id);
                if (!result.ok()) {
                    failed.put(id, ParticipantOutcome.failure(result.participant(), result.phase(),
                            result.status(), result.seconds(), result.bytesOut(),
                            "secure stage " + stage.name().toLowerCase() + ": " + result.detail()));
                } else if (earlier == null) {
                    answering.put(id, result);
                } else {
                    answering.put(id, new ParticipantOutcome(earlier.participant(), earlier.phase(), earlier.status(),
                            earlier.examples(), earlier.seconds() + result.seconds(),
                            earlier.bytesIn() + result.bytesIn(), earlier.bytesOut(), earlier.loss(),
                            earlier.metrics(), null));
                }
            }
            long answered = results.stream().filter(ParticipantOutcome::ok).count();
            LOG.infof("%s stage %s: %d of %d sites answered", tag, stage.name().toLowerCase(), answered,
                    instructions.size());
        }

        private ParticipantOutcome answered(SecAggStage stage, int id, ClientMessage answer, Throwable error,
                                            long sentAt, long bytesOut, Exchange.Guard guard, StageHandler handler) {
            Participant site = sites.get(id);
            double seconds = Exchange.secondsSince(sentAt);
            ParticipantOutcome unusable = Exchange.unusable(site, ParticipantOutcome.Phase.FIT, answer, error,
                    seconds, bytesOut);
            if (unusable != null) {
                return unusable;
            }
            ClientMessage.FitRes result = answer.getFitRes();
            try {
                String where = site.name() + "'s fit_res";
                SecureFitEntries.requireStage(result.getMetricsMap(), stage, where);
                long round = ScalarMaps.integer(result.getMetricsMap(), SecureFitEntries.ROUND_ID, where);
                if (round != config.round()) {
                    throw new IllegalArgumentException(where + " belongs to secure round " + round + ", not "
                            + config.round());
                }
                long bytesIn;
                synchronized (guard) {
                    if (guard.isClosed()) {
                        return ParticipantOutcome.failure(site.name(), ParticipantOutcome.Phase.FIT,
                                ParticipantOutcome.Status.TIMEOUT, seconds, bytesOut, "answered after the stage closed");
                    }
                    bytesIn = handler.accept(id, result);
                }
                return new ParticipantOutcome(site.name(), ParticipantOutcome.Phase.FIT, ParticipantOutcome.Status.OK,
                        result.getNumExamples(), seconds, bytesIn, bytesOut, Optional.empty(),
                        Exchange.numeric(result.getMetricsMap()), null);
            } catch (Exception e) {
                return ParticipantOutcome.failure(site.name(), ParticipantOutcome.Phase.FIT,
                        ParticipantOutcome.Status.REJECTED, seconds, bytesOut, e.getMessage());
            }
        }

        private ServerMessage stageInstruction(SecAggStage stage, byte[] message, Map<String, Scalar> extra) {
            Map<String, Scalar> config = new LinkedHashMap<>();
            config.put(SecureFitEntries.STAGE, SecureFitEntries.stageEntry(stage));
            config.put(SecureFitEntries.ROUND_ID, ScalarMaps.of(this.config.round()));
            config.put(SecureFitEntries.MESSAGE, ScalarMaps.of(message));
            config.putAll(extra);
            return ServerMessage.newBuilder().setFitIns(ServerMessage.FitIns.newBuilder().setParameters(NO_TENSORS)
                    .putAllConfig(config)).build();
        }

        /** z·sqrt(t/n): the noise the sum carries at worst, when only t of the n sites survive. */
        double effectiveNoiseMultiplier() {
            return PrivacySettings.effectiveNoiseMultiplier(plan.privacy().noiseMultiplier(), config.clients().size(),
                    config.threshold());
        }

        private Instant stageDeadline() {
            return Instant.now().plus(plan.secureAggregation().stageTimeout());
        }

        private List<String> names(List<Integer> ids) {
            return ids.stream().map(id -> sites.get(id).name()).toList();
        }

        private static byte[] message(ClientMessage.FitRes result) {
            return ScalarMaps.bytes(result.getMetricsMap(), SecureFitEntries.MESSAGE, "fit_res metrics");
        }

        private static void requireSender(int id, int claimed) {
            if (claimed != id) {
                throw new IllegalArgumentException("the message claims to be from client " + claimed
                        + ", but this site is client " + id);
            }
        }
    }

    /** Takes one site's answer to a stage into the aggregator; returns the tensor bytes it carried. */
    @FunctionalInterface
    private interface StageHandler {
        long accept(int id, ClientMessage.FitRes result) throws Exception;
    }
}
