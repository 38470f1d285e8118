package io.callosum.cli;

import io.callosum.cli.demo.DemoCommand;
import io.callosum.cli.site.SiteCommand;
import io.callosum.cli.embed.EmbedCommand;
import io.callosum.cli.inspect.InspectCommand;
import io.callosum.cli.pretrain.PretrainCommand;
import io.callosum.cli.provision.ProvisionCommand;
import io.callosum.cli.synth.SynthCommand;
import picocli.CommandLine;

import java.io.IOException;
import picocli.CommandLine.Command;

/** {@code ./callosum}: the one entry point for operators and hospital engineers. */
@Command(name = "callosum",
        description = "Federated multimodal pretraining across hospitals.",
        mixinStandardHelpOptions = true,
        versionProvider = CallosumVersion.class,
        subcommands = {DemoCommand.class, SiteCommand.class, SynthCommand.class, PretrainCommand.class, EmbedCommand.class, InspectCommand.class, ProvisionCommand.class, CommandLine.HelpCommand.class})
public class CallosumCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new CallosumCommand())
                .setExecutionExceptionHandler(CallosumCommand::reportFailure)
                .execute(args));
    }

    /** Bad input (a malformed file, a mismatched checkpoint) is the user's to fix: one clear line, no stack trace. */
    private static int reportFailure(Exception failure, CommandLine command, CommandLine.ParseResult parsed) {
        if (failure instanceof IOException || failure instanceof IllegalArgumentException) {
            command.getErr().println("callosum " + command.getCommandName() + ": " + failure.getMessage());
            return 1;
        }
        throw new IllegalStateException(failure);
    }
}
