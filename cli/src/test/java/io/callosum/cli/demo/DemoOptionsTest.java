package io.callosum.cli.demo;

import io.callosum.protocol.tensor.Modality;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo's SIGReg weights as a user writes them. */
class DemoOptionsTest {

    @Test
    void omicsHasItsOwnLambdaUnlessTheUserSaysOtherwise() {
        assertEquals(Map.of(Modality.OMICS, 0.3f), parsed().modalityLambdas());
        assertEquals(0.5f, parsed().lambda);
        assertEquals(Map.of(Modality.EEG, 0.4f, Modality.OMICS, 0.2f),
                parsed("--modality-lambda", "eeg=0.4,omics=0.2").modalityLambdas());
    }

    @Test
    void aKeyThatNamesNoEncoderIsRefusedByName() {
        CommandLine.ParameterException unknown = assertThrows(CommandLine.ParameterException.class,
                () -> parsed("--modality-lambda", "mri=0.2").modalityLambdas());
        assertTrue(unknown.getMessage().contains("--modality-lambda mri=0.2: unknown modality 'mri'"),
                unknown.getMessage());
        CommandLine.ParameterException shared = assertThrows(CommandLine.ParameterException.class,
                () -> parsed("--modality-lambda", "shared=0.2").modalityLambdas());
        assertTrue(shared.getMessage().contains("shared has no encoder"), shared.getMessage());
    }

    private static DemoCommand parsed(String... args) {
        DemoCommand demo = new DemoCommand();
        new CommandLine(demo).parseArgs(args);
        return demo;
    }
}
