package io.clpipe.predictor.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clpipe.models.Model;
import io.clpipe.models.ModelSpec;
import io.clpipe.models.ModelSpecCodec;
import io.clpipe.models.Models;
import org.junit.jupiter.api.Test;

class ModelTableTest {

    private static final ModelSpec SPEC = new ModelSpec.Mlp(3, new int[] {4}, 2, 8);

    private static Snapshot snapshot(long version, long seed) {
        try (Model m = Models.create(SPEC, seed)) {
            return new Snapshot("s", version, "t", ModelSpecCodec.encode(SPEC), m.parametersToArray());
        }
    }

    @Test
    void aNewerVersionReplacesTheServedModelAndAnOlderOneIsIgnored() {
        try (ModelTable table = new ModelTable()) {
            assertThat(table.get("s")).isEmpty();
            Snapshot v2 = snapshot(2, 2);
            assertThat(table.offer(v2)).isEqualTo(ModelTable.Swap.APPLIED);
            Model first = table.get("s").orElseThrow().model();
            assertThat(table.offer(snapshot(1, 1))).isEqualTo(ModelTable.Swap.STALE);
            assertThat(table.offer(snapshot(2, 9))).isEqualTo(ModelTable.Swap.STALE);
            assertThat(table.get("s").orElseThrow().model().parametersToArray()).isEqualTo(v2.parameters());
            Snapshot v5 = snapshot(5, 5);
            assertThat(table.offer(v5)).isEqualTo(ModelTable.Swap.APPLIED);
            ServedModel served = table.get("s").orElseThrow();
            assertThat(served.version()).isEqualTo(5);
            assertThat(served.model()).isNotSameAs(first);
            assertThat(served.model().parametersToArray()).isEqualTo(v5.parameters());
            assertThat(table.versions()).containsEntry("s", 5L);
        }
    }

    @Test
    void aSnapshotThatDoesNotFitItsSpecLeavesTheServedModelInPlace() {
        try (ModelTable table = new ModelTable()) {
            table.offer(snapshot(1, 1));
            Snapshot broken = new Snapshot("s", 2, "t", ModelSpecCodec.encode(SPEC), new float[3]);
            assertThatThrownBy(() -> table.offer(broken)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("3 parameters");
            assertThat(table.get("s").orElseThrow().version()).isEqualTo(1);
        }
    }
}
