package io.clpipe.app;

import io.clpipe.learner.service.CheckpointInspector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code clpipe inspect-checkpoint DIR}: what a learner would resume from. */
@Command(name = "inspect-checkpoint", mixinStandardHelpOptions = true,
        description = "Prints, as JSON, each stream's checkpoint in DIR: iteration, tasks, offsets, schedule, replay, parameter checksum.")
final class InspectCheckpointCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "The learner's checkpoint directory (setting checkpoint.dir).")
    Path dir;

    @Override
    public Integer call() {
        if (!Files.isDirectory(dir)) {
            spec.commandLine().getErr().println("clpipe inspect-checkpoint: " + dir + " is not a directory");
            return 2;
        }
        spec.commandLine().getOut().println(CheckpointInspector.json(dir));
        return 0;
    }
}
