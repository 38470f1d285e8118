package io.callosum.cli.embed;

import io.callosum.encoders.data.DatasetLoader;
import io.callosum.encoders.data.ModalityDataset;
import io.callosum.encoders.data.SiteCatalog;
import io.callosum.encoders.jepa.Checkpoint;
import io.callosum.encoders.jepa.JepaConfig;
import io.callosum.encoders.jepa.JepaTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code ./callosum embed}: a pretrained encoder's embeddings of a site's subjects, one TSV row per subject. */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = "Embed a site's subjects with a pretrained encoder checkpoint and write them as TSV.")
public class EmbedCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, paramLabel = "DIR", description = "site directory with subjects.tsv")
    Path data;

    @Option(names = "--checkpoint", required = true, paramLabel = "DIR", description = "saved by ./callosum pretrain")
    Path checkpoint;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "embeddings TSV to write")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Checkpoint saved = Checkpoint.read(checkpoint);
        ModalityDataset dataset = DatasetLoader.load(SiteCatalog.read(data), saved.modality());
        try (JepaTrainer encoder = new JepaTrainer(dataset, saved.encoder(), JepaConfig.defaults(saved.objective()))) {
            encoder.load(checkpoint);
            float[][] embeddings = encoder.embed(dataset.inputs());
            try (BufferedWriter table = Files.newBufferedWriter(out)) {
                table.write("subject_id");
                for (int d = 0; d < embeddings[0].length; d++) {
                    table.write("\te" + (d + 1));
                }
                table.write('\n');
                for (int i = 0; i < embeddings.length; i++) {
                    table.write(dataset.subjects().get(i));
                    for (float value : embeddings[i]) {
                        table.write(String.format(Locale.ROOT, "\t%.6g", value));
                    }
                    table.write('\n');
                }
            }
            spec.commandLine().getOut().printf("%d %s embeddings of dimension %d (step %d) written to %s%n",
                    embeddings.length, saved.modality(), embeddings[0].length, saved.step(), out);
        }
        return 0;
    }
}
