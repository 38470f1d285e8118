package io.callosum.cli.inspect;

import io.callosum.protocol.npy.NpyArray;
import io.callosum.protocol.npy.NpyCodec;
import io.callosum.protocol.npy.NpyFormatException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** Describes {@code .npy} tensors without loading a model or starting a service. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Print dtype, shape, layout and value statistics of .npy tensor files.")
public class InspectCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE", description = ".npy files to describe")
    List<Path> files;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int failures = 0;
        for (Path file : files) {
            try {
                NpyArray array = NpyCodec.read(file);
                out.printf("%s%n  %s%n", file, TensorSummary.of(array));
            } catch (NpyFormatException | IOException e) {
                err.printf("refused %s%n", e.getMessage());
                failures++;
            }
        }
        return failures == 0 ? 0 : 1;
    }
}
