package io.callosum.cli.pretrain;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Picocli 4.7 reads a negatable option that is true by default oddly unless it has a fallback value. */
class PretrainCommandTest {

    @Test
    void theRawBaselineIsOnByDefaultAndOffWithItsNegation() {
        assertTrue(parse().rawBaseline);
        assertTrue(parse("--raw-baseline").rawBaseline);
        assertFalse(parse("--no-raw-baseline").rawBaseline);
    }

    private static PretrainCommand parse(String... extra) {
        PretrainCommand command = new PretrainCommand();
        String[] args = new String[extra.length + 4];
        args[0] = "--data";
        args[1] = "site";
        args[2] = "--modality";
        args[3] = "omics";
        System.arraycopy(extra, 0, args, 4, extra.length);
        new CommandLine(command).parseArgs(args);
        return command;
    }
}
