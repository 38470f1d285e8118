package io.callosum.benchmarks.jepa;

import io.callosum.benchmarks.Benchmark;
import io.callosum.benchmarks.BenchmarkOptions;
import io.callosum.benchmarks.Measurement;
import io.callosum.encoders.data.DatasetLoader;
import io.callosum.encoders.data.ModalityDataset;
import io.callosum.encoders.data.SiteCatalog;
import io.callosum.encoders.jepa.JepaConfig;
import io.callosum.encoders.jepa.JepaTrainer;
import io.callosum.encoders.jepa.Objective;
import io.callosum.encoders.model.EncoderConfig;
import io.callosum.encoders.synth.CohortGenerator;
import io.callosum.encoders.synth.CohortSpec;
import io.callosum.protocol.tensor.Modality;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One JEPA training step (SIGReg, batch 32) per modality at the default synthetic sizes — imaging 32³ in 8³ patches,
 * EEG 19 channels × 1,280 samples in 64-sample patches, omics 1,000 features in 20 groups — against an inference
 * pass (embedding the same batch) measured in the same run, with heap allocated per step and the process's peak
 * resident memory (libtorch's tensors live outside the Java heap).
 */
public final class TrainingStepBenchmark implements Benchmark {
    private static final int BATCH = 32;

    private final BenchmarkOptions options;

    public TrainingStepBenchmark(BenchmarkOptions options) {
        this.options = options;
    }

    @Override
    public void run(PrintStream out) {
        Path cohort = generate();
        out.printf(Locale.ROOT, "%nJEPA training step (SIGReg), batch %d; median of %d runs after %d warm-ups%n", BATCH,
                options.runs(), options.warmups());
        out.printf(Locale.ROOT, "%-9s %-8s %7s %9s %10s %10s %12s %12s %13s%n", "modality", "device", "tokens",
                "params", "step", "embed", "step/embed", "heap/step", "peak RSS");
        for (Modality modality : List.of(Modality.IMAGING, Modality.EEG, Modality.OMICS)) {
            ModalityDataset data = load(cohort, modality);
            EncoderConfig encoder = EncoderConfig.small(modality == Modality.IMAGING ? 8 : 64, 20);
            try (JepaTrainer trainer = new JepaTrainer(data, encoder, JepaConfig.defaults(Objective.SIGREG))) {
                float[][] batch = Arrays.copyOf(data.inputs(), BATCH);
                Measurement step = Measurement.of(modality + " step", options.warmups(), options.runs(), trainer::step);
                Measurement embed = Measurement.of(modality + " embed", options.warmups(), options.runs(),
                        () -> trainer.embed(batch));
                out.printf(Locale.ROOT, "%-9s %-8s %7d %9d %8.1fms %8.1fms %11.2fx %10.1fMB %11.0fMB%n", modality,
                        trainer.device(), trainer.encoder().tokenizer().tokenCount(), trainer.parameterCount(),
                        step.medianSeconds() * 1e3, embed.medianSeconds() * 1e3,
                        step.medianSeconds() / embed.medianSeconds(), step.allocatedBytes() / 1e6,
                        peakResidentBytes() / 1e6);
            }
        }
        out.println("peak RSS is the whole process's high-water mark so far (it only grows down the table).");
    }

    private static Path generate() {
        try {
            Path dir = Files.createTempDirectory("callosum-bench-cohort");
            new CohortGenerator(CohortSpec.defaults(BATCH * 2, 1, 3)).write(dir, n -> { });
            return dir.resolve("site-01");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ModalityDataset load(Path site, Modality modality) {
        try {
            return DatasetLoader.load(SiteCatalog.read(site), modality);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** VmHWM from /proc/self/status: the most resident memory this process has held. */
    private static long peakResidentBytes() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(line -> line.startsWith("VmHWM:"))
                    .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", "")) * 1024)
                    .findFirst().orElse(-1);
        } catch (IOException e) {
            return -1;
        }
    }
}
