package io.clpipe.app;

import io.clpipe.learner.service.CheckpointInspector;
import io.clpipe.learner.service.KafkaCheckpointStore;
import io.clpipe.learner.service.LearnerServiceConfig;
import io.clpipe.schemas.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code clpipe inspect-checkpoint DIR} or {@code --kafka}: what a learner would resume from. */
@Command(name = "inspect-checkpoint", mixinStandardHelpOptions = true,
        description = {"Prints, as JSON, each stream's checkpoint in DIR (or, with --kafka, the newest readable generation",
            "on the checkpoints topic): iteration, tasks, offsets, schedule, replay, parameter checksum."})
final class InspectCheckpointCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--kafka", description = "Read the checkpoint topic (<prefix>checkpoints, setting checkpoint.store=kafka) instead of a directory.")
    boolean fromKafka;

    @Parameters(paramLabel = "DIR", arity = "0..1", description = "The learner's checkpoint directory (setting checkpoint.dir).")
    Path dir;

    @Override
    public Integer call() {
        if (fromKafka) {
            LearnerServiceConfig d = LearnerServiceConfig.defaults(Path.of("unused"));
            try (KafkaCheckpointStore store = new KafkaCheckpointStore(Topics.withPrefix(kafka.topicPrefix).checkpoints(),
                    kafka.clientProperties(), d.checkpointGenerations(), d.checkpointChunkBytes())) {
                spec.commandLine().getOut().println(CheckpointInspector.json(store));
            }
            return 0;
        }
        if (dir == null || !Files.isDirectory(dir)) {
            spec.commandLine().getErr().println("clpipe inspect-checkpoint: " + dir + " is not a directory (or use --kafka)");
            return 2;
        }
        spec.commandLine().getOut().println(CheckpointInspector.json(dir));
        return 0;
    }
}
