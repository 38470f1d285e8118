package io.callosum.coordinator.federation;

import io.callosum.coordinator.flower.FlowerMetrics;
import io.callosum.coordinator.participants.Participant;
import io.callosum.coordinator.strategy.RoundAggregation;
import io.callosum.coordinator.strategy.Strategy;
import io.callosum.protocol.federation.FitPlan;
import io.callosum.protocol.federation.ModalityExamples;
import io.callosum.protocol.federation.ScalarMaps;
import io.callosum.protocol.flower.FlowerParameters;
import io.callosum.protocol.flower.proto.Transport.ClientMessage;
import io.callosum.protocol.flower.proto.Transport.Code;
import io.callosum.protocol.flower.proto.Transport.Parameters;
import io.callosum.protocol.flower.proto.Transport.Scalar;
import io.callosum.protocol.flower.proto.Transport.ServerMessage;
import io.callosum.protocol.npy.NpyArray;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.NamedTensor;
import io.callosum.protocol.tensor.TensorManifest;
import io.callosum.protocol.tensor.TensorSet;
import io.grpc.Status;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Flower instructions of a round and their answers. Every answer is handled on the thread it arrives on:
 * a fit result is validated and folded into the running aggregate there and then released, so the coordinator
 * never holds more than one site's update at a time beside the aggregate.
 */
final class Exchange {
    private static final Logger LOG = Logger.getLogger(Exchange.class);

    private final FederationPlan plan;
    private final Payloads payloads;
    private final FlowerMetrics metrics;

    Exchange(FederationPlan plan, Payloads payloads, FlowerMetrics metrics) {
        this.plan = plan;
        this.payloads = payloads;
        this.metrics = metrics;
    }

    /**
     * {@code current} extended with the tensors of every modality some participant holds and it lacks, each
     * taken from one participant holding it: how a federation gets its initial model (Flower asks one client
     * for its parameters) and how a site bringing a new modality adds its encoder.
     */
    TensorSet initialModel(List<Participant> participants, TensorSet current) throws InterruptedException {
        if (plan.kind() == FederationKind.PLAIN) {
            return current.size() > 0 ? current : plainInitialModel(participants);
        }
        if (plan.kind() == FederationKind.ALIGNMENT) {
            // Frozen encoders come from the pretraining federation only; a site's own would not be aligned with them.
            return current;
        }
        Set<Modality> covered = EnumSet.noneOf(Modality.class);
        covered.addAll(current.modalities());
        List<NamedTensor> tensors = new ArrayList<>(current.tensors());
        for (Participant participant : participants) {
            Set<Modality> missing = EnumSet.noneOf(Modality.class);
            participant.modalities().stream().filter(m -> !covered.contains(m)).forEach(missing::add);
            if (missing.isEmpty()) {
                continue;
            }
            try {
                TensorSet offered = parametersOf(participant);
                tensors.addAll(offered.select(missing).tensors());
                covered.addAll(missing);
                LOG.infof("[%s] initial %s tensors taken from %s", plan.name(), missing, participant.name());
            } catch (RuntimeException | TimeoutException e) {
                LOG.warnf("[%s] [%s] could not give its initial parameters: %s", plan.name(), participant.name(),
                        e.getMessage());
            }
        }
        return TensorSet.of(tensors);
    }

    private TensorSet parametersOf(Participant participant) throws InterruptedException, TimeoutException {
        Map<String, Scalar> config = new LinkedHashMap<>();
        plan.model().writeTo(config);
        ClientMessage described = await(participant.ask(ServerMessage.newBuilder().setGetPropertiesIns(
                ServerMessage.GetPropertiesIns.newBuilder().putAllConfig(config)).build()));
        Map<String, Scalar> properties = described.getGetPropertiesRes().getPropertiesMap();
        Optional<TensorSet> uploaded = uploadedInitial(participant, properties);
        if (uploaded.isPresent()) {
            return uploaded.get();
        }
        TensorManifest manifest = FlowerParameters.manifestIn(properties)
                .orElseThrow(() -> new IllegalArgumentException(participant.name()
                        + " described no tensors in its get_properties_res"));
        ClientMessage answer = await(participant.ask(ServerMessage.newBuilder().setGetParametersIns(
                ServerMessage.GetParametersIns.newBuilder().putAllConfig(config)).build()));
        return FlowerParameters.decode(answer.getGetParametersRes().getParameters(), manifest);
    }

    private Optional<TensorSet> uploadedInitial(Participant participant, Map<String, Scalar> properties) {
        try {
            return payloads.initialUpload(participant.name(), properties);
        } catch (IOException e) {
            throw new UncheckedIOException(participant.name() + "'s uploaded initial tensors could not be read", e);
        }
    }

    private TensorSet plainInitialModel(List<Participant> participants) throws InterruptedException {
        for (Participant participant : participants) {
            try {
                ClientMessage answer = await(participant.ask(ServerMessage.newBuilder().setGetParametersIns(
                        ServerMessage.GetParametersIns.getDefaultInstance()).build()));
                List<NpyArray> arrays = FlowerParameters.decodeArrays(answer.getGetParametersRes().getParameters());
                List<NamedTensor> named = new ArrayList<>();
                for (int i = 0; i < arrays.size(); i++) {
                    named.add(new NamedTensor("plain/" + i, Modality.PLAIN, arrays.get(i)));
                }
                LOG.infof("[%s] initial parameters taken from %s", plan.name(), participant.name());
                return TensorSet.of(named);
            } catch (RuntimeException | TimeoutException e) {
                LOG.warnf("[%s] [%s] could not give its initial parameters: %s", plan.name(), participant.name(),
                        e.getMessage());
            }
        }
        throw new FederationFailedException("no participant gave initial parameters");
    }

    List<ParticipantOutcome> fit(String tag, int round, List<Participant> selected, TensorSet global,
                                 RoundAggregation aggregation, Strategy strategy, Instant deadline)
            throws InterruptedException {
        Guard guard = new Guard();
        List<Pending> pending = new ArrayList<>();
        Map<Set<Modality>, Payloads.Outgoing> prepared = new HashMap<>();
        for (Participant participant : selected) {
            Payloads.Outgoing outgoing = outgoing(participant, global, prepared);
            TensorSet sent = outgoing.tensors();
            ServerMessage instruction = fitInstruction(round, strategy, outgoing, Map.of());
            long sentAt = System.nanoTime();
            CompletableFuture<ParticipantOutcome> outcome = participant.ask(instruction).handle((answer, error) ->
                    fitOutcome(tag, participant, sent, answer, error, sentAt, aggregation, guard));
            metrics.parametersSent(sent.byteSize());
            pending.add(new Pending(participant, sentAt, sent.byteSize(), ParticipantOutcome.Phase.FIT, outcome));
        }
        List<ParticipantOutcome> outcomes = collect(pending, deadline);
        guard.close();
        return outcomes;
    }

    List<ParticipantOutcome> evaluate(String tag, int round, List<Participant> participants, TensorSet model,
                                      Instant deadline) throws InterruptedException {
        List<Pending> pending = new ArrayList<>();
        Map<String, Scalar> config = new LinkedHashMap<>();
        config.put(FitPlan.ROUND, ScalarMaps.of(round));
        if (plan.kind() != FederationKind.PLAIN) {
            plan.model().writeTo(config);
            writeAlignment(config);
        }
        Map<Set<Modality>, Payloads.Outgoing> prepared = new HashMap<>();
        for (Participant participant : participants) {
            Payloads.Outgoing outgoing = prepared.computeIfAbsent(participant.modalities(),
                    modalities -> payloads.outgoing(tensorsFor(participant, model)));
            TensorSet sent = outgoing.tensors();
            ServerMessage instruction = ServerMessage.newBuilder().setEvaluateIns(ServerMessage.EvaluateIns
                    .newBuilder().setParameters(outgoing.parameters()).putAllConfig(config)
                    .putAllConfig(outgoing.entries())).build();
            long sentAt = System.nanoTime();
            CompletableFuture<ParticipantOutcome> outcome = participant.ask(instruction).handle((answer, error) ->
                    evaluateOutcome(participant, answer, error, sentAt, sent.byteSize()));
            metrics.parametersSent(sent.byteSize());
            pending.add(new Pending(participant, sentAt, sent.byteSize(), ParticipantOutcome.Phase.EVALUATE, outcome));
        }
        List<ParticipantOutcome> outcomes = collect(pending, deadline);
        LOG.debugf("%s evaluated by %d participants", tag, outcomes.size());
        return outcomes;
    }

    /** The model's tensors for {@code participant}'s modalities, ready to send; made once per modality set. */
    Payloads.Outgoing outgoing(Participant participant, TensorSet model,
                               Map<Set<Modality>, Payloads.Outgoing> prepared) {
        return prepared.computeIfAbsent(participant.modalities(),
                modalities -> payloads.outgoing(tensorsFor(participant, model)));
    }

    /** A fit instruction: the tensors, the round's training plan and {@code extra} config entries. */
    ServerMessage fitInstruction(int round, Strategy strategy, Payloads.Outgoing outgoing,
                                 Map<String, Scalar> extra) {
        return ServerMessage.newBuilder().setFitIns(ServerMessage.FitIns.newBuilder()
                .setParameters(outgoing.parameters()).putAllConfig(fitConfig(round, strategy))
                .putAllConfig(outgoing.entries()).putAllConfig(extra)).build();
    }

    /** All of a plain model; a site's modalities' encoders, and in an alignment federation every head too. */
    private TensorSet tensorsFor(Participant participant, TensorSet model) {
        if (plan.kind() == FederationKind.PLAIN) {
            return model;
        }
        Set<Modality> sent = EnumSet.noneOf(Modality.class);
        sent.addAll(participant.modalities());
        if (plan.kind() == FederationKind.ALIGNMENT) {
            sent.add(Modality.SHARED);
        }
        return model.select(sent);
    }

    private void writeAlignment(Map<String, Scalar> config) {
        if (plan.alignment() != null) {
            plan.alignment().space().writeTo(config);
        }
    }

    private Map<String, Scalar> fitConfig(int round, Strategy strategy) {
        if (plan.kind() == FederationKind.PLAIN) {
            Map<String, Scalar> config = new LinkedHashMap<>();
            config.put(FitPlan.ROUND, ScalarMaps.of(round));
            return config;
        }
        LocalTrainingPlan training = plan.training();
        double mu = strategy.siteConfig().getOrDefault(FitPlan.PROXIMAL_MU, 0.0);
        Map<String, Scalar> config = new FitPlan(round, training.localSteps(), training.learningRate(),
                training.decaySteps(plan.rounds()), training.decayStart(round), training.batchSize(),
                training.batchSampling(), training.objective(), training.lambda(), training.modalityLambdas(), mu,
                plan.model()).toConfig();
        strategy.siteConfig().forEach((key, value) -> config.put(key, ScalarMaps.of(value)));
        writeAlignment(config);
        return config;
    }

    private ParticipantOutcome fitOutcome(String tag, Participant participant, TensorSet sent, ClientMessage answer,
                                          Throwable error, long sentAt, RoundAggregation aggregation, Guard guard) {
        ParticipantOutcome.Phase phase = ParticipantOutcome.Phase.FIT;
        double seconds = secondsSince(sentAt);
        long bytesOut = sent.byteSize();
        ParticipantOutcome unusable = unusable(participant, phase, answer, error, seconds, bytesOut);
        if (unusable != null) {
            return unusable;
        }
        ClientMessage.FitRes result = answer.getFitRes();
        Payloads.Incoming incoming = null;
        try {
            incoming = payloads.incoming(participant.name(), result.getParameters(), result.getMetricsMap(), sent);
            synchronized (guard) {
                if (guard.isClosed()) {
                    return ParticipantOutcome.failure(participant.name(), phase, ParticipantOutcome.Status.TIMEOUT,
                            seconds, bytesOut, "answered after the round's deadline");
                }
                aggregation.add(participant.name(), incoming.tensors(), ModalityExamples.in(
                        result.getNumExamples(), result.getMetricsMap(), "fit_res"));
            }
            long bytesIn = incoming.tensors().byteSize();
            metrics.parametersReceived(bytesIn);
            LOG.infof("%s [%s] update of %d examples folded in after %.1f s", tag, participant.name(),
                    result.getNumExamples(), seconds);
            return new ParticipantOutcome(participant.name(), phase, ParticipantOutcome.Status.OK,
                    result.getNumExamples(), seconds, bytesIn, bytesOut, Optional.empty(),
                    numeric(result.getMetricsMap()), null);
        } catch (Exception e) {
            return ParticipantOutcome.failure(participant.name(), phase, ParticipantOutcome.Status.REJECTED, seconds,
                    bytesOut, e.getMessage());
        } finally {
            if (incoming != null) {
                payloads.release(incoming);
            }
        }
    }

    private ParticipantOutcome evaluateOutcome(Participant participant, ClientMessage answer, Throwable error,
                                               long sentAt, long bytesOut) {
        ParticipantOutcome.Phase phase = ParticipantOutcome.Phase.EVALUATE;
        double seconds = secondsSince(sentAt);
        ParticipantOutcome unusable = unusable(participant, phase, answer, error, seconds, bytesOut);
        if (unusable != null) {
            return unusable;
        }
        ClientMessage.EvaluateRes result = answer.getEvaluateRes();
        return new ParticipantOutcome(participant.name(), phase, ParticipantOutcome.Status.OK, result.getNumExamples(),
                seconds, 0, bytesOut, Optional.of((double) result.getLoss()), numeric(result.getMetricsMap()), null);
    }

    /**
     * How an answer failed, or null when it can be used: the participant left, answered something other than the
     * phase's result (and is refused, since the stream is out of step), or reported an error status.
     */
    static ParticipantOutcome unusable(Participant participant, ParticipantOutcome.Phase phase,
                                               ClientMessage answer, Throwable error, double seconds, long bytesOut) {
        if (error != null) {
            return ParticipantOutcome.failure(participant.name(), phase, ParticipantOutcome.Status.DROPPED, seconds,
                    bytesOut, rootMessage(error));
        }
        boolean fit = phase == ParticipantOutcome.Phase.FIT;
        ClientMessage.MsgCase expected = fit ? ClientMessage.MsgCase.FIT_RES : ClientMessage.MsgCase.EVALUATE_RES;
        if (answer.getMsgCase() != expected) {
            String reason = "expected " + expected.name().toLowerCase() + ", got "
                    + answer.getMsgCase().name().toLowerCase();
            participant.refuse(Status.FAILED_PRECONDITION, reason);
            return ParticipantOutcome.failure(participant.name(), phase, ParticipantOutcome.Status.REJECTED, seconds,
                    bytesOut, reason);
        }
        var status = fit ? answer.getFitRes().getStatus() : answer.getEvaluateRes().getStatus();
        if (status.getCode() != Code.OK) {
            return ParticipantOutcome.failure(participant.name(), phase, ParticipantOutcome.Status.FAILED, seconds,
                    bytesOut, status.getCode() + ": " + status.getMessage());
        }
        return null;
    }

    /** Waits for every answer until the deadline; whoever has not answered by then timed out. */
    static List<ParticipantOutcome> collect(List<Pending> pending, Instant deadline)
            throws InterruptedException {
        List<ParticipantOutcome> outcomes = new ArrayList<>();
        for (Pending one : pending) {
            long remaining = Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
            try {
                outcomes.add(one.outcome().get(remaining, TimeUnit.MILLISECONDS));
            } catch (TimeoutException e) {
                outcomes.add(ParticipantOutcome.failure(one.participant().name(), one.phase(),
                        ParticipantOutcome.Status.TIMEOUT, secondsSince(one.sentAt()), one.bytesOut(),
                        "no answer before the round's deadline"));
            } catch (ExecutionException e) {
                outcomes.add(ParticipantOutcome.failure(one.participant().name(), one.phase(),
                        ParticipantOutcome.Status.FAILED, secondsSince(one.sentAt()), one.bytesOut(),
                        rootMessage(e)));
            }
        }
        return outcomes;
    }

    private ClientMessage await(CompletableFuture<ClientMessage> answer) throws InterruptedException,
            TimeoutException {
        try {
            return answer.get(plan.roundDeadline().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(rootMessage(e), e);
        }
    }

    /** The numeric entries of a metrics map; Callosum's own bookkeeping entries are not metrics. */
    static Map<String, Double> numeric(Map<String, Scalar> entries) {
        Map<String, Double> values = new LinkedHashMap<>();
        entries.forEach((key, scalar) -> {
            if (key.startsWith("callosum.")) {
                return;
            }
            switch (scalar.getScalarCase()) {
                case DOUBLE -> values.put(key, scalar.getDouble());
                case SINT64 -> values.put(key, (double) scalar.getSint64());
                case UINT64 -> values.put(key, (double) scalar.getUint64());
                default -> LOG.debugf("metric '%s' is not a number; not recorded", key);
            }
        });
        return values;
    }

    static String rootMessage(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage();
    }

    static double secondsSince(long nanoTime) {
        return (System.nanoTime() - nanoTime) / 1e9;
    }

    record Pending(Participant participant, long sentAt, long bytesOut, ParticipantOutcome.Phase phase,
                           CompletableFuture<ParticipantOutcome> outcome) {
    }

    /** Closed once the deadline passed, so that a late answer is never folded into a finished aggregate. */
    static final class Guard {
        private boolean closed;

        synchronized void close() {
            closed = true;
        }

        /** Whether the deadline passed; read while holding this guard, so nothing is folded in after it. */
        boolean isClosed() {
            return closed;
        }
    }
}
