package io.clpipe.evaluator.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The transaction protocol of one metrics batch, on Kafka's MockProducer (the broker's side of
 * transactions is exercised by EvaluatorServiceIT).
 */
class MetricsPublisherTest {

    private static final TopicPartition MODELS_0 = new TopicPartition("models", 0);
    private static final ConsumerGroupMetadata GROUP = new ConsumerGroupMetadata("g");

    private MockProducer<String, byte[]> producer;
    private MetricsPublisher publisher;

    @BeforeEach
    void setUp() {
        Node node = new Node(0, "localhost", 9092);
        List<PartitionInfo> metrics = List.of(new PartitionInfo("metrics", 0, node, null, null),
                new PartitionInfo("metrics", 1, node, null, null));
        producer = new MockProducer<>(new Cluster("c", List.of(node), metrics, Set.of(), Set.of()), true, null,
                new StringSerializer(), new ByteArraySerializer());
        publisher = new MetricsPublisher(producer, "evaluator-a", new EvaluatorMeters(new SimpleMeterRegistry()));
        publisher.initTransactions();
    }

    private static ProducerRecord<String, byte[]> record(int partition, String stream) {
        return new ProducerRecord<>("metrics", partition, stream, new byte[] {1});
    }

    @Test
    void theCommittedOffsetsCarryWhereTheTransactionsRecordsEnd() {
        Map<Integer, MetricsPublisher.Written> written = publisher.publish(
                List.of(record(0, "a"), record(1, "b"), record(0, "a")), Map.of(MODELS_0, new OffsetAndMetadata(7)), GROUP);

        assertThat(written).containsExactlyInAnyOrderEntriesOf(Map.of(0, new MetricsPublisher.Written(0, 1, 2),
                1, new MetricsPublisher.Written(0, 0, 1)));
        assertThat(producer.transactionCommitted()).isTrue();
        OffsetAndMetadata committed = producer.consumerGroupOffsetsHistory().get(0).get("g").get(MODELS_0);
        assertThat(committed.offset()).isEqualTo(7);
        assertThat(LedgerMark.decode(committed.metadata())).contains(new LedgerMark(Map.of(0, 2L, 1, 1L)));
    }

    @Test
    void aCommitRefusedAfterARebalanceAbortsAndReportsLostOwnership() {
        producer.commitTransactionException = new CommitFailedException("ILLEGAL_GENERATION");

        assertThatThrownBy(() -> publisher.publish(List.of(record(0, "a")), Map.of(MODELS_0, new OffsetAndMetadata(1)), GROUP))
                .isInstanceOf(OwnershipLostException.class).hasMessageContaining("rebalanced");
        assertThat(producer.transactionAborted()).isTrue();
        assertThat(producer.transactionCommitted()).isFalse();
        assertThat(publisher.aborts()).isEqualTo(1);
    }

    @Test
    void aFencedProducerStopsTheServiceNamingTheTransactionalId() {
        producer.commitTransactionException = new ProducerFencedException("fenced");

        assertThatThrownBy(() -> publisher.publish(List.of(record(0, "a")), Map.of(MODELS_0, new OffsetAndMetadata(1)), GROUP))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("evaluator-a")
                .hasMessageContaining("its own transactional.id");
    }
}
