package io.callosum.encoders.jepa;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import io.callosum.encoders.data.ModalityDataset;
import io.callosum.encoders.diagnostics.EffectiveRank;
import io.callosum.encoders.diagnostics.EmbeddingReport;
import io.callosum.encoders.diagnostics.LinearProbe;
import io.callosum.encoders.diagnostics.ProbeSplit;
import io.callosum.encoders.model.EncoderConfig;
import io.callosum.encoders.model.ModalityEncoder;
import io.callosum.protocol.tensor.TensorSet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * Pretrains one modality's encoder with a JEPA objective on one site's data: per step it samples a batch and a
 * mask, encodes the context, predicts the targets' representations and minimises the prediction error plus the
 * objective's anti-collapse term. Runs on the first GPU DJL sees, else on the CPU.
 */
public final class JepaTrainer implements AutoCloseable {
    private static final String MODEL_NAME = "jepa";

    private final ModalityDataset data;
    private final EncoderConfig encoderConfig;
    private final JepaConfig config;
    private final Model model;
    private final JepaModel block;
    private final Trainer trainer;
    private final ParameterStore store;
    private final MaskSampler masks;
    private final Random random;
    private final SubjectSampler subjects;
    private final EmaTeacher teacher;
    private final ModelTensors tensors;
    private ProximalTerm proximal;
    private int step;

    public JepaTrainer(ModalityDataset data, EncoderConfig encoderConfig, JepaConfig config) {
        this.data = data;
        this.encoderConfig = encoderConfig;
        this.config = config;
        Engine.getInstance().setRandomSeed((int) config.seed());
        Device device = Engine.getInstance().defaultDevice();
        this.block = new JepaModel(data.geometry(), encoderConfig);
        this.model = Model.newInstance(MODEL_NAME, device);
        model.setBlock(block);
        this.trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss())
                .optOptimizer(Optimizer.adamW().optLearningRateTracker(config.learningRateTracker())
                        .optWeightDecays(0.01f).build())
                .optDevices(new Device[] {device}));
        Shape input = new Shape(config.batchSize(), data.inputLength());
        trainer.initialize(input);
        this.store = new ParameterStore(trainer.getManager(), false);
        this.masks = new MaskSampler(block.encoder().tokenizer().grid());
        this.random = new Random(config.seed());
        this.subjects = SubjectSampler.of(data.diagnoses(), config.sampling());
        this.teacher = config.objective() == Objective.EMA
                ? new EmaTeacher(data.geometry(), encoderConfig, block.encoder(), trainer.getManager(), input) : null;
        this.tensors = new ModelTensors(data.modality(), block.getParameters());
    }

    public Device device() {
        return model.getNDManager().getDevice();
    }

    public int stepsDone() {
        return step;
    }

    public ModalityEncoder encoder() {
        return block.encoder();
    }

    /** Trainable values in the encoder and predictor. */
    public long parameterCount() {
        return block.getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
    }

    public StepResult step() {
        return GradientTape.exclusively(this::stepAlone);
    }

    private StepResult stepAlone() {
        try (NDManager batchManager = trainer.getManager().newSubManager()) {
            NDArray x = batch(batchManager);
            TokenMask mask = masks.sample(random);
            StepResult result;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                Losses losses = losses(batchManager, x, mask, true);
                collector.backward(losses.total());
                result = losses.result(step + 1);
            }
            if (proximal != null) {
                proximal.addGradients();
            }
            trainer.step();
            if (teacher != null) {
                teacher.follow(block.encoder(), config.emaMomentum());
            }
            step++;
            return result;
        }
    }

    /**
     * The objective on {@code inputs} without training, averaged over {@code maskCount} masks drawn from a generator
     * seeded with {@code maskSeed} (so that repeated evaluations compare like with like); the step is the steps done.
     * For held-out subjects; SIGReg and VICReg need at least two of them.
     */
    public StepResult lossOn(float[][] inputs, int maskCount, long maskSeed) {
        if (inputs.length < 2) {
            throw new IllegalArgumentException("the loss needs at least 2 inputs, got " + inputs.length);
        }
        Random maskRandom = new Random(maskSeed);
        double loss = 0;
        double prediction = 0;
        double regularizer = 0;
        try (NDManager batchManager = trainer.getManager().newSubManager()) {
            NDArray x = batchManager.create(inputs).toDevice(device(), false).toType(DataType.FLOAT32, false);
            for (int i = 0; i < maskCount; i++) {
                StepResult one = losses(batchManager, x, masks.sample(maskRandom), false).result(step);
                loss += one.loss() / maskCount;
                prediction += one.prediction() / maskCount;
                regularizer += one.regularizer() / maskCount;
            }
        }
        return new StepResult(step, (float) loss, (float) prediction, (float) regularizer);
    }

    private Losses losses(NDManager manager, NDArray x, TokenMask mask, boolean training) {
        NDArray context = manager.create(mask.context()).toDevice(x.getDevice(), false);
        NDArray targets = manager.create(mask.targets()).toDevice(x.getDevice(), false);
        ModalityEncoder encoder = block.encoder();
        NDArray tokens = encoder.tokens(store, x, training);
        NDArray full = encoder.encode(store, tokens, null, training);
        NDArray wanted = teacher != null ? teacher.encode(x).get(new NDIndex(":, {}", targets))
                : full.get(new NDIndex(":, {}", targets));
        NDArray seen = encoder.encode(store, tokens, context, training);
        NDArray predicted = block.predictor().forward(store, new NDList(seen, context, targets), training)
                .singletonOrThrow();
        NDArray predictionLoss = predicted.sub(wanted).square().mean();
        NDArray pooled = full.mean(new int[] {1});
        return switch (config.objective()) {
            case SIGREG -> {
                NDArray reg = SigReg.statistic(pooled, config.slices());
                yield new Losses(predictionLoss.mul(1 - config.lambda()).add(reg.mul(config.lambda())),
                        predictionLoss, reg);
            }
            case VICREG -> {
                NDArray reg = VicReg.penalty(pooled);
                yield new Losses(predictionLoss.add(reg.mul(config.lambda())), predictionLoss, reg);
            }
            case EMA -> new Losses(predictionLoss, predictionLoss, predictionLoss.zerosLike());
        };
    }

    /** Encoder and predictor weights as float32 tensors tagged with this trainer's modality; the EMA teacher stays. */
    public TensorSet parameters() {
        return tensors.export();
    }

    /**
     * Sets the encoder and predictor weights from the tensors of this trainer's modality (others are ignored),
     * refusing, without changing any weight, an unknown name, a missing tensor, a wrong shape or a non-finite value.
     * Optimizer state and the EMA teacher are kept: they are local to the site.
     */
    public void load(TensorSet weights) {
        tensors.load(weights);
    }

    /**
     * FedProx: from now on every step also pulls the weights towards their current values with the gradient of
     * μ/2·‖w − w_anchor‖². Call it after loading the global weights of a round; μ = 0 removes the term.
     */
    public void setProximalAnchor(float mu) {
        if (proximal != null) {
            proximal.close();
            proximal = null;
        }
        if (mu != 0) {
            proximal = new ProximalTerm(mu, block.getParameters(), trainer.getManager());
        }
    }

    /** Pooled embeddings of {@code inputs}, computed in inference mode, batch by batch. */
    public float[][] embed(float[][] inputs) {
        return PooledEmbeddings.of(block.encoder(), store, trainer.getManager(), device(), inputs);
    }

    /** Per input, mean and standard deviation over tokens of the tokenizer's output (twice the width). */
    public float[][] tokenStatistics(float[][] inputs) {
        return PooledEmbeddings.tokenStatistics(block.encoder(), store, trainer.getManager(), device(), inputs);
    }

    /** The SIGReg statistic of a whole set of embeddings, averaged over {@code slices} fresh directions. */
    public float sigRegStatistic(float[][] embeddings) {
        try (NDManager manager = trainer.getManager().newSubManager()) {
            return SigReg.statistic(manager.create(embeddings).toDevice(device(), false), config.slices()).getFloat();
        }
    }

    /** Probe accuracy, effective rank and SIGReg of the current encoder's embeddings of the whole dataset. */
    public EmbeddingReport report(List<ProbeSplit> splits, LinearProbe probe) {
        float[][] embeddings = embed(data.inputs());
        return new EmbeddingReport(probe.meanAccuracy(splits, embeddings, data.diagnoses()),
                EffectiveRank.of(embeddings), encoderConfig.dim(), sigRegStatistic(embeddings));
    }

    /** Weights plus a {@link Checkpoint} describing them. */
    public void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        model.save(dir, MODEL_NAME);
        new Checkpoint(data.modality(), data.geometry(), encoderConfig, config.objective(), step).write(dir);
    }

    /** Loads weights saved by {@link #save}, refusing a checkpoint made for another modality, input or size. */
    public void load(Path dir) throws IOException {
        Checkpoint checkpoint = Checkpoint.read(dir);
        Checkpoint mine = new Checkpoint(data.modality(), data.geometry(), encoderConfig, config.objective(),
                checkpoint.step());
        if (!mine.equals(checkpoint)) {
            throw new IOException(dir.resolve(Checkpoint.FILE) + ": made for " + checkpoint + ", not " + mine);
        }
        try {
            model.load(dir, MODEL_NAME);
        } catch (MalformedModelException e) {
            throw new IOException(dir + ": weights do not match the checkpoint: " + e.getMessage(), e);
        }
        step = checkpoint.step();
    }

    private NDArray batch(NDManager manager) {
        float[][] rows = new float[config.batchSize()][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = data.inputs()[subjects.next(random)];
        }
        return manager.create(rows).toDevice(device(), false).toType(DataType.FLOAT32, false);
    }

    @Override
    public void close() {
        setProximalAnchor(0);
        if (teacher != null) {
            teacher.close();
        }
        trainer.close();
        model.close();
    }

    /** The minimised loss and its two parts, still on the device. */
    private record Losses(NDArray total, NDArray prediction, NDArray regularizer) {
        StepResult result(int step) {
            return new StepResult(step, total.getFloat(), prediction.getFloat(), regularizer.getFloat());
        }
    }
}
