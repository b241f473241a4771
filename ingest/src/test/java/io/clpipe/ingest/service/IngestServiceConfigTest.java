package io.clpipe.ingest.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clpipe.drift.DriftConfig;
import io.clpipe.drift.PageHinkleyConfig;
import io.clpipe.schemas.Topics;
import io.clpipe.schemas.ValidationConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class IngestServiceConfigTest {

    private static Properties props(Map<String, String> entries) {
        Properties p = new Properties();
        p.putAll(entries);
        return p;
    }

    @Test
    void defaultsMatchTheCommandsFormerDefaultsAndDeriveTheApplicationIdFromThePrefix() {
        IngestServiceConfig c = IngestServiceConfig.fromProperties(new Properties());
        assertThat(c.topics()).isEqualTo(Topics.defaults());
        assertThat(c.applicationId()).isEqualTo(IngestService.APPLICATION_ID).isEqualTo("clpipe-ingest");
        assertThat(c.stateDir()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir"), "clpipe-streams"));
        assertThat(c.routing().evalPerMille()).isEqualTo(100);
        assertThat(c.routing().textChunkBytes()).isEqualTo(1024);
        assertThat(c.routing().driftDetection()).isFalse();
        assertThat(c.routing().drift()).isEqualTo(DriftConfig.defaults());
        assertThat(c.routing().validation()).isEqualTo(ValidationConfig.defaults());
    }

    @Test
    void everyKeyIsRead() {
        IngestServiceConfig c = IngestServiceConfig.fromProperties(props(Map.ofEntries(
                Map.entry("topics.prefix", "team-a.clpipe."), Map.entry("state.dir", "/var/lib/ingest"),
                Map.entry("feature.dim", "784"), Map.entry("classes", "10"), Map.entry("max.record.bytes", "2048"),
                Map.entry("max.text.chars", "100"), Map.entry("eval.permille", "250"), Map.entry("text.chunk.bytes", "0"),
                Map.entry("drift.detection", "true"), Map.entry("drift.ph.delta", "0.2"),
                Map.entry("drift.ph.lambda", "80"), Map.entry("drift.ph.min.samples", "500"),
                Map.entry("drift.adwin.delta", "0.001"))));
        assertThat(c.topics()).isEqualTo(Topics.withPrefix("team-a.clpipe."));
        assertThat(c.applicationId()).isEqualTo("team-a.clpipe-ingest");
        assertThat(c.stateDir()).isEqualTo(Path.of("/var/lib/ingest"));
        ValidationConfig v = c.routing().validation();
        assertThat(v.defaultFeatureDim()).isEqualTo(OptionalInt.of(784));
        assertThat(v.numClasses()).isEqualTo(OptionalInt.of(10));
        assertThat(v.maxRecordBytes()).isEqualTo(2048);
        assertThat(v.maxTextChars()).isEqualTo(100);
        assertThat(c.routing().evalPerMille()).isEqualTo(250);
        assertThat(c.routing().textChunkBytes()).isZero();
        assertThat(c.routing().driftDetection()).isTrue();
        assertThat(c.routing().drift().pageHinkley()).isEqualTo(new PageHinkleyConfig(0.2, 80, 500));
        assertThat(c.routing().drift().adwin().delta()).isEqualTo(0.001);
        assertThat(IngestServiceConfig.fromProperties(props(Map.of("topic.prefix", "old."))).topics())
                .as("the former spelling is still accepted").isEqualTo(Topics.withPrefix("old."));
        assertThat(IngestServiceConfig.fromProperties(props(Map.of("application.id", "my-ingest"))).applicationId())
                .isEqualTo("my-ingest");
    }

    @Test
    void theDerivedApplicationIdDropsTheTrailingSeparator() {
        assertThat(IngestServiceConfig.applicationId("clpipe.")).isEqualTo("clpipe-ingest");
        assertThat(IngestServiceConfig.applicationId("prod_")).isEqualTo("prod-ingest");
        assertThat(IngestServiceConfig.applicationId("")).isEqualTo("clpipe-ingest");
    }

    @Test
    void badValuesAndUnknownKeysAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> IngestServiceConfig.fromProperties(props(Map.of("eval.permille", "ten"))))
                .hasMessage("ingest setting eval.permille=ten: expected an integer");
        assertThatThrownBy(() -> IngestServiceConfig.fromProperties(props(Map.of("eval.permille", "1200"))))
                .hasMessageStartingWith("ingest setting eval.permille: ").hasMessageContaining("1200");
        assertThatThrownBy(() -> IngestServiceConfig.fromProperties(props(Map.of("drift.detection", "yes"))))
                .hasMessage("ingest setting drift.detection=yes: expected true or false");
        assertThatThrownBy(() -> IngestServiceConfig.fromProperties(props(Map.of("drift.ph.lambda", "0"))))
                .hasMessageStartingWith("ingest setting drift.*: Page-Hinkley needs");
        assertThatThrownBy(() -> IngestServiceConfig.fromProperties(props(Map.of("drift.adwin.delt", "0.1"))))
                .hasMessageStartingWith("ingest setting drift.*: unknown drift setting 'drift.adwin.delt'");
        assertThatThrownBy(() -> IngestServiceConfig.fromProperties(props(Map.of("text.chunk.bytes", "2"))))
                .hasMessageStartingWith("ingest setting text.chunk.bytes: ");
        assertThatThrownBy(() -> IngestServiceConfig.fromProperties(props(Map.of("feature.dim", "-3"))))
                .hasMessageStartingWith("ingest setting feature.dim: ");
        assertThatThrownBy(() -> IngestServiceConfig.fromProperties(props(Map.of("eval.per.mille", "10"))))
                .hasMessageStartingWith("unknown ingest setting(s) [eval.per.mille]; known: ")
                .hasMessageContaining("eval.permille");
    }
}
