package io.callosum.cli.synth;

import io.callosum.cli.CallosumCommand;
import io.callosum.encoders.synth.Phenotype;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SynthCommandTest {
    private static final String[] SMALL = {"--subjects", "4", "--sites", "2", "--imaging-size", "16", "--eeg-seconds",
            "1", "--eeg-rate", "64", "--omics-features", "150"};

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void writesTheClinicalPhenotypeAndWithTraitsTheTraitsToo(@TempDir Path dir) throws IOException {
        assertEquals(List.of(), phenotypeColumnsBeyondTheClinical(dir.resolve("clinical")));
        assertEquals(Phenotype.columns(true).subList(5, 13),
                phenotypeColumnsBeyondTheClinical(dir.resolve("traits"), "--traits"));
    }

    private List<String> phenotypeColumnsBeyondTheClinical(Path dir, String... flags) throws IOException {
        String[] args = new String[SMALL.length + flags.length + 3];
        args[0] = "synth";
        args[1] = "--out";
        args[2] = dir.toString();
        System.arraycopy(SMALL, 0, args, 3, SMALL.length);
        System.arraycopy(flags, 0, args, 3 + SMALL.length, flags.length);
        int exit = new CommandLine(new CallosumCommand()).setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true)).execute(args);
        assertEquals(0, exit, err.toString());
        List<String> header = List.of(Files.readAllLines(dir.resolve("site-01/subjects.tsv")).get(0).split("\t"));
        assertEquals(Phenotype.CLINICAL_COLUMNS, header.subList(6, 11));
        return header.subList(11, header.size());
    }
}
