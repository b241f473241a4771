package io.clpipe.app;

import io.clpipe.schemas.ControlJson;
import io.clpipe.schemas.Topics;
import io.clpipe.schemas.avro.ControlEvent;
import io.clpipe.schemas.avro.ControlType;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code clpipe control task-start|anneal}: a user's control event in its JSON form (docs/records.md,
 * "Control events"), keyed by the stream. A task-start goes to the samples topic, in line with the
 * stream's samples, so that it takes effect exactly there; an anneal request goes to the control topic.
 */
@Command(name = "control", mixinStandardHelpOptions = true,
        description = "Sends a user control event for one stream (docs/records.md, \"Control events\").",
        subcommands = {ControlCommand.TaskStart.class, ControlCommand.Anneal.class})
final class ControlCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Options both events share. */
    abstract static class Send implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        KafkaOptions kafka;

        @Option(names = "--stream", required = true, description = "The stream (record key).")
        String stream;

        @Option(names = "--reason", description = "Why, for the operator's log and the control topic.")
        String reason;

        abstract ControlEvent event();

        abstract String topic(Topics topics);

        @Override
        public Integer call() throws Exception {
            ControlEvent event = event();
            String topic = topic(Topics.withPrefix(kafka.topicPrefix));
            byte[] json = ControlJson.write(event);
            Properties props = kafka.clientProperties();
            props.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
                RecordMetadata at = producer.send(new ProducerRecord<>(topic, stream, json)).get();
                spec.commandLine().getOut().printf("Sent %s to %s-%d@%d (key %s)%n", new String(json, StandardCharsets.UTF_8),
                        at.topic(), at.partition(), at.offset(), stream);
            }
            return 0;
        }

        ControlEvent.Builder builder(ControlType type) {
            return ControlEvent.newBuilder().setStream(stream).setType(type).setReason(reason).setSource("user")
                    .setTimestamp(System.currentTimeMillis());
        }
    }

    @Command(name = "task-start", mixinStandardHelpOptions = true,
            description = {"Starts a new task on a stream at this point of its samples: ingest gives every later sample of the",
                "stream that names no task this task (train and eval), and the learner re-warms there. Goes to the samples topic."})
    static final class TaskStart extends Send {

        @Option(names = "--task", description = "Name of the new task (default: ingest generates segment-N).")
        String task;

        @Override
        ControlEvent event() {
            return builder(ControlType.TASK_START).setTask(task).build();
        }

        @Override
        String topic(Topics topics) {
            return topics.samples();
        }
    }

    @Command(name = "anneal", mixinStandardHelpOptions = true,
            description = {"Asks the learner to anneal an infinite schedule's learning rate to its floor (a deployable",
                "checkpoint). Goes to the control topic; applied when the learner reads it."})
    static final class Anneal extends Send {

        @Override
        ControlEvent event() {
            return builder(ControlType.ANNEAL_REQUEST).build();
        }

        @Override
        String topic(Topics topics) {
            return topics.control();
        }
    }
}
