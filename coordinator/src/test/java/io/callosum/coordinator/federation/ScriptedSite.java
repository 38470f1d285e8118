package io.callosum.coordinator.federation;

import io.callosum.protocol.federation.FitPlan;
import io.callosum.protocol.federation.ParameterReference;
import io.callosum.protocol.federation.ScalarMaps;
import io.callosum.protocol.federation.SiteProperties;
import io.callosum.protocol.flower.FlowerParameters;
import io.callosum.protocol.flower.proto.Transport.ClientMessage;
import io.callosum.protocol.flower.proto.Transport.Code;
import io.callosum.protocol.flower.proto.Transport.Parameters;
import io.callosum.protocol.flower.proto.Transport.Scalar;
import io.callosum.protocol.flower.proto.Transport.ServerMessage;
import io.callosum.protocol.flower.proto.Transport.Status;
import io.callosum.protocol.npy.NpyArray;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.NamedTensor;
import io.callosum.protocol.tensor.TensorSet;
import io.callosum.protocol.transfer.BlobId;
import io.callosum.protocol.transfer.TransferClient;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A site agent whose "training" is known arithmetic: its update is the global tensors it was sent plus its own
 * offset, so the aggregate a round must produce can be computed by hand. It speaks Callosum's conventions
 * (properties, manifests, chunked transfer by reference) exactly as the real site agent does.
 */
final class ScriptedSite implements ScriptedParticipant.Behaviour, AutoCloseable {
    static final Status SUCCESS = Status.newBuilder().setCode(Code.OK).setMessage("Success").build();

    private final SiteProperties properties;
    private final TensorSet initial;
    private final float offset;
    private final long examples;
    private final ManagedChannel transferChannel;
    private final TransferClient transfer;
    private final int maxMessageBytes;
    private volatile int dropAtRound = -1;
    private volatile int nanAtRound = -1;
    private volatile long fitDelayMillis;
    private volatile boolean usedTransfer;

    ScriptedSite(String name, Set<Modality> modalities, TensorSet initial, float offset, long examples, int port,
                 int maxMessageBytes) {
        Map<Modality, Integer> subjects = new LinkedHashMap<>();
        modalities.forEach(m -> subjects.put(m, (int) examples));
        this.properties = new SiteProperties(name, subjects);
        this.initial = initial.select(modalities);
        this.offset = offset;
        this.examples = examples;
        this.maxMessageBytes = maxMessageBytes;
        this.transferChannel = ManagedChannelBuilder.forAddress("localhost", port).usePlaintext()
                .maxInboundMessageSize(maxMessageBytes).build();
        this.transfer = new TransferClient(transferChannel, maxMessageBytes);
    }

    ScriptedSite droppingAtRound(int round) {
        dropAtRound = round;
        return this;
    }

    ScriptedSite sendingNanAtRound(int round) {
        nanAtRound = round;
        return this;
    }

    ScriptedSite slowBy(long millis) {
        fitDelayMillis = millis;
        return this;
    }

    boolean usedTransfer() {
        return usedTransfer;
    }

    @Override
    public ClientMessage answer(ServerMessage instruction) throws Exception {
        switch (instruction.getMsgCase()) {
            case GET_PROPERTIES_INS -> {
                Map<String, Scalar> described = new LinkedHashMap<>(properties.toProperties());
                if (instruction.getGetPropertiesIns().getConfigCount() > 0) {
                    described.put(FlowerParameters.MANIFEST_KEY, FlowerParameters.manifestEntry(initial.manifest()));
                }
                return ClientMessage.newBuilder().setGetPropertiesRes(ClientMessage.GetPropertiesRes.newBuilder()
                        .setStatus(SUCCESS).putAllProperties(described)).build();
            }
            case GET_PARAMETERS_INS -> {
                return ClientMessage.newBuilder().setGetParametersRes(ClientMessage.GetParametersRes.newBuilder()
                        .setStatus(SUCCESS).setParameters(FlowerParameters.encode(initial))).build();
            }
            case FIT_INS -> {
                ServerMessage.FitIns fit = instruction.getFitIns();
                int round = FitPlan.from(fit.getConfigMap()).round();
                if (round == dropAtRound) {
                    return null;
                }
                TimeUnit.MILLISECONDS.sleep(fitDelayMillis);
                TensorSet global = received(fit.getParameters(), fit.getConfigMap());
                TensorSet update = shifted(global, round == nanAtRound ? Float.NaN : offset);
                Map<String, Scalar> metrics = new LinkedHashMap<>();
                metrics.put("loss." + properties.modalities().iterator().next(), ScalarMaps.of(1.0 / round));
                metrics.put(FlowerParameters.MANIFEST_KEY, FlowerParameters.manifestEntry(update.manifest()));
                Parameters parameters;
                if (ParameterReference.travelsInline(update, maxMessageBytes)) {
                    parameters = FlowerParameters.encode(update);
                } else {
                    ParameterReference.put(metrics, transfer.upload(update));
                    parameters = Parameters.newBuilder().setTensorType(FlowerParameters.TENSOR_TYPE).build();
                    usedTransfer = true;
                }
                return ClientMessage.newBuilder().setFitRes(ClientMessage.FitRes.newBuilder().setStatus(SUCCESS)
                        .setParameters(parameters).setNumExamples(examples).putAllMetrics(metrics)).build();
            }
            case EVALUATE_INS -> {
                ServerMessage.EvaluateIns evaluate = instruction.getEvaluateIns();
                TensorSet global = received(evaluate.getParameters(), evaluate.getConfigMap());
                Map<String, Scalar> metrics = new LinkedHashMap<>();
                for (Modality modality : properties.modalities()) {
                    metrics.put("probe_accuracy." + modality, ScalarMaps.of(0.5 + offset / 10));
                    metrics.put("examples." + modality, ScalarMaps.of(examples));
                }
                return ClientMessage.newBuilder().setEvaluateRes(ClientMessage.EvaluateRes.newBuilder()
                        .setStatus(SUCCESS).setLoss(mean(global)).setNumExamples(examples).putAllMetrics(metrics))
                        .build();
            }
            default -> throw new IllegalStateException("unexpected " + instruction.getMsgCase());
        }
    }

    private TensorSet received(Parameters parameters, Map<String, Scalar> config) throws Exception {
        Optional<BlobId> reference = ParameterReference.in(config, "test");
        if (reference.isPresent()) {
            usedTransfer = true;
            return transfer.downloadTensors(reference.get(), Files.createTempDirectory("scripted-site"));
        }
        return FlowerParameters.decode(parameters, FlowerParameters.manifestIn(config).orElseThrow());
    }

    static TensorSet shifted(TensorSet tensors, float by) {
        List<NamedTensor> shifted = new ArrayList<>();
        for (NamedTensor tensor : tensors) {
            float[] values = tensor.array().toFloatArray();
            for (int i = 0; i < values.length; i++) {
                values[i] += by;
            }
            shifted.add(new NamedTensor(tensor.name(), tensor.modality(),
                    NpyArray.ofFloats(tensor.array().shape(), values)));
        }
        return TensorSet.of(shifted);
    }

    private static float mean(TensorSet tensors) {
        double sum = 0;
        long count = 0;
        for (NamedTensor tensor : tensors) {
            for (float v : tensor.array().toFloatArray()) {
                sum += v;
                count++;
            }
        }
        return (float) (sum / Math.max(1, count));
    }


    @Override
    public void close() throws InterruptedException {
        transferChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
