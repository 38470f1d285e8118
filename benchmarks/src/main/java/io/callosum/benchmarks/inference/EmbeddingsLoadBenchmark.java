package io.callosum.benchmarks.inference;

import io.callosum.alignment.loss.ContrastiveLoss;
import io.callosum.alignment.space.AlignmentConfig;
import io.callosum.alignment.space.SharedSpace;
import io.callosum.benchmarks.Benchmark;
import io.callosum.coordinator.inference.EmbeddingPipeline;
import io.callosum.coordinator.inference.InputDecoder;
import io.callosum.coordinator.inference.SharedProjection;
import io.callosum.coordinator.inference.ReferenceModel;
import io.callosum.coordinator.references.BankSubjects;
import io.callosum.encoders.data.DatasetLoader;
import io.callosum.encoders.data.ModalityDataset;
import io.callosum.encoders.data.SiteCatalog;
import io.callosum.encoders.jepa.FrozenEncoder;
import io.callosum.encoders.jepa.JepaConfig;
import io.callosum.encoders.jepa.JepaTrainer;
import io.callosum.encoders.jepa.Objective;
import io.callosum.encoders.model.EncoderConfig;
import io.callosum.encoders.synth.CohortGenerator;
import io.callosum.encoders.synth.CohortSpec;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.TensorSet;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The embeddings endpoint's work under concurrent clients, in process on the CPU: each request decodes an uploaded
 * NIfTI-1 image (32³) through the coordinator's {@link InputDecoder}, then runs the coordinator's
 * {@link EmbeddingPipeline} exactly as the service does — three versions' encoders (the ensemble), the
 * shared-space head, and the reference bank's scores of the embedding and of the input's tokenizer statistics —
 * each model used under its own lock as the service holds it. HTTP, authentication and the database lookups are not in it. 1, 4 and 16 clients send the same number
 * of requests in all; latency p50/p99 per request and throughput, against one client as the baseline.
 */
public final class EmbeddingsLoadBenchmark implements Benchmark {
    private static final int REQUESTS = 96;
    private static final int WARM_UP = 8;
    private static final int VERSIONS = 3;
    private static final int STEPS_BETWEEN_VERSIONS = 2;

    @Override
    public void run(PrintStream out) {
        Path site = generate();
        ModalityDataset cohort = load(site);
        EncoderConfig config = EncoderConfig.small(8, 20);
        List<FrozenEncoder> encoders = new ArrayList<>();
        try (JepaTrainer trainer = new JepaTrainer(cohort, config, JepaConfig.defaults(Objective.SIGREG));
             SharedSpace space = new SharedSpace(Map.of(Modality.IMAGING, config.dim()),
                     AlignmentConfig.defaults(ContrastiveLoss.INFONCE))) {
            for (int v = 0; v < VERSIONS; v++) {
                TensorSet weights = trainer.parameters();
                encoders.add(new FrozenEncoder(Modality.IMAGING, cohort.geometry(), config, weights));
                for (int s = 0; s < STEPS_BETWEEN_VERSIONS; s++) {
                    trainer.step();
                }
            }
            FrozenEncoder chosen = encoders.get(0);
            ReferenceModel bank = ReferenceModel.fit("bench", new BankSubjects(Modality.IMAGING, cohort.subjects(),
                    chosen.embed(cohort.inputs()), unlabelled(cohort.size()), chosen.tokenStatistics(cohort.inputs())));
            File upload = site.resolve("imaging").toFile().listFiles()[0];
            Request request = new Request(upload.toPath(), encoders, space, bank);
            out.printf(Locale.ROOT, "%nEmbeddings under load (in process, %d CPU cores): NIfTI %d³ decode,"
                            + " %d-version ensemble of a %d-wide encoder, shared head, reference bank;"
                            + " %d requests per level%n", Runtime.getRuntime().availableProcessors(),
                    edge(cohort), VERSIONS, config.dim(), REQUESTS);
            ConcurrentLoad.run(() -> {
                if (request.run().subjects().isEmpty()) {
                    throw new IllegalStateException("a request embedded nothing");
                }
                return null;
            }, WARM_UP, REQUESTS, out);
            out.println("each model serves one request at a time (its lock), as in the coordinator; more clients"
                    + " queue behind it.");
        } finally {
            encoders.forEach(FrozenEncoder::close);
        }
    }

    /** One embeddings request's work. */
    private record Request(Path upload, List<FrozenEncoder> encoders, SharedSpace space, ReferenceModel bank) {
        EmbeddingPipeline.Embedded run() {
            ModalityDataset inputs = InputDecoder.file(upload, upload.getFileName().toString(), Modality.IMAGING);
            List<EmbeddingPipeline.Member> members = new ArrayList<>();
            for (int v = 0; v < encoders.size(); v++) {
                FrozenEncoder encoder = encoders.get(v);
                members.add(new EmbeddingPipeline.Member(v, rows -> {
                    synchronized (encoder) {
                        return encoder.embed(rows);
                    }
                }));
            }
            FrozenEncoder chosen = encoders.get(0);
            return EmbeddingPipeline.run(inputs, members, "none", this::project, rows -> {
                synchronized (chosen) {
                    return chosen.tokenStatistics(rows);
                }
            }, bank);
        }

        private SharedProjection project(float[][] embeddings) {
            synchronized (space) {
                return new SharedProjection(new SharedProjection.Status(true, space.config().sharedDim(), null, null),
                        space.project(Modality.IMAGING, embeddings));
            }
        }

    }

    private static int[] unlabelled(int subjects) {
        int[] labels = new int[subjects];
        Arrays.fill(labels, BankSubjects.UNLABELLED);
        return labels;
    }

    private static int edge(ModalityDataset cohort) {
        return (int) Math.round(Math.cbrt(cohort.inputLength()));
    }

    private static Path generate() {
        try {
            Path dir = Files.createTempDirectory("callosum-bench-embeddings");
            new CohortGenerator(CohortSpec.defaults(64, 1, 5)).write(dir, n -> { });
            return dir.resolve("site-01");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ModalityDataset load(Path site) {
        try {
            return DatasetLoader.load(SiteCatalog.read(site), Modality.IMAGING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
