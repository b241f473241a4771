package io.clpipe.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clpipe.ingest.service.IngestServiceConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The settings every service reads: a file, then CLPIPE_<SERVICE>_* variables, then --set; ingest's as the example. */
class ServiceSettingsTest {

    @TempDir
    Path tmp;

    private static ServiceSettings parse(String... args) {
        ServiceSettings settings = new ServiceSettings();
        new CommandLine(settings).parseArgs(args);
        return settings;
    }

    @Test
    void theEnvironmentWinsOverTheFileAndSetWinsOverBoth() throws Exception {
        Path file = tmp.resolve("ingest.properties");
        Files.writeString(file, "eval.permille=200\nclasses=10\nstate.dir=/from/file\n");
        ServiceSettings settings = parse("--config", file.toString(), "--set", "state.dir=/from/set");
        Properties props = settings.load("ingest", Map.of("CLPIPE_INGEST_EVAL_PERMILLE", "300",
                "CLPIPE_INGEST_STATE_DIR", "/from/env", "CLPIPE_LEARNER_LR", "0.5", "PATH", "/bin"));
        assertThat(props).containsOnly(Map.entry("eval.permille", "300"), Map.entry("classes", "10"),
                Map.entry("state.dir", "/from/set"));
        IngestServiceConfig config = IngestServiceConfig.fromProperties(props);
        assertThat(config.routing().evalPerMille()).isEqualTo(300);
        assertThat(config.stateDir()).isEqualTo(Path.of("/from/set"));
    }

    @Test
    void anUnreadableFileIsNamed() {
        ServiceSettings settings = parse("--config", tmp.resolve("missing.properties").toString());
        assertThatThrownBy(() -> settings.load("ingest", Map.of())).hasMessageStartingWith("cannot read --config ")
                .hasMessageContaining("missing.properties");
    }

    @Test
    void aBadValueFromTheEnvironmentIsRefusedWithItsKey() {
        Properties props = parse().load("ingest", Map.of("CLPIPE_INGEST_DRIFT_PH_LAMBDA", "big"));
        assertThatThrownBy(() -> IngestServiceConfig.fromProperties(props))
                .hasMessage("ingest setting drift.*: drift.ph.lambda must be a number, got 'big'");
    }
}
