package io.clpipe.evaluator.service;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * The four Kafka clients of one {@link EvaluationLoop}, built by {@link KafkaClients} in the service and by the
 * tests as Kafka's MockConsumer and MockProducer. The loop owns and closes them.
 *
 * @param models  group member of the models topic
 * @param eval    group-less reader of the eval topic
 * @param ledger  group-less reader of the metrics topic
 * @param metrics transactional producer of the metrics topic
 */
record LoopClients(Consumer<String, byte[]> models, Consumer<String, byte[]> eval, Consumer<String, byte[]> ledger,
                   Producer<String, byte[]> metrics) {

    /** Builds them one by one; what was built is closed if a later one fails. */
    static LoopClients open(KafkaClients clients) {
        Consumer<String, byte[]> models = null;
        Consumer<String, byte[]> eval = null;
        Consumer<String, byte[]> ledger = null;
        try {
            models = clients.modelsConsumer();
            eval = clients.reader("eval");
            ledger = clients.reader("ledger");
            return new LoopClients(models, eval, ledger, clients.metricsProducer());
        } catch (RuntimeException e) {
            for (AutoCloseable c : new AutoCloseable[] {ledger, eval, models}) {
                try {
                    if (c != null) {
                        c.close();
                    }
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }
}
