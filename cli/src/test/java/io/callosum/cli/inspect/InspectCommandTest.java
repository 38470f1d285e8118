package io.callosum.cli.inspect;

import io.callosum.cli.CallosumCommand;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InspectCommandTest {
    private static final Path GOLDEN = Path.of(System.getProperty("callosum.shared.dir", "../../shared"))
            .resolve("testdata/npy-golden").normalize();

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void describesTensorsCountingNonFiniteValuesApart() {
        int exit = run("inspect", GOLDEN.resolve("f32_2d.npy").toString(), GOLDEN.resolve("f32_special.npy").toString());

        assertEquals(0, exit, err.toString());
        assertTrue(out.toString().contains("<f4 (3, 4), 12 elements, min -1.25000, max 4.25000, mean 1.50000"), out.toString());
        assertTrue(out.toString().contains("<f4 (8,), 8 elements, min -1.00000, max 3.40282e+38, mean 6.80565e+37, 3 NaN/inf"),
                out.toString());
    }

    @Test
    void refusesAPickleNamingTheFileAndFails() {
        int exit = run("inspect", GOLDEN.resolve("bad_object_pickle.npy").toString());

        assertEquals(1, exit);
        assertTrue(err.toString().startsWith("refused " + GOLDEN.resolve("bad_object_pickle.npy") + ": "), err.toString());
        assertTrue(err.toString().contains("object array"), err.toString());
    }

    private int run(String... args) {
        return new CommandLine(new CallosumCommand())
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
    }
}
