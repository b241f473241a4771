package io.clpipe.evaluator.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clpipe.models.Batch;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EvalSetTest {

    private static EvalSample sample(int id) {
        return new EvalSample(new float[] {id, -id}, id % 10);
    }

    private static int id(EvalSample s) {
        return (int) s.features()[0];
    }

    @Test
    void reservoirIsBoundedAndUniformOverEverythingOffered() {
        // capacity 100 of 10 000 offered: each sample is kept with probability 1/100, so about half
        // of the kept samples come from each half of the stream. Over 200 seeds the first-half share
        // averages 0.5 ± 0.005 (sd 0.05/√200 ≈ 0.0035); "keep the first 100" would give 1.0,
        // "keep the last 100" 0.0.
        double firstHalfShare = 0;
        for (long seed = 0; seed < 200; seed++) {
            EvalSet set = new EvalSet(new EvalSetConfig(100, 100, SubsetMode.FIXED, 0), seed);
            for (int i = 0; i < 10_000; i++) {
                set.offer(sample(i));
            }
            assertThat(set.size()).isEqualTo(100);
            assertThat(set.offered()).isEqualTo(10_000);
            firstHalfShare += set.subset().samples().stream().filter(s -> id(s) < 5_000).count() / 100.0;
        }
        assertThat(firstHalfShare / 200).isBetween(0.49, 0.51);
    }

    @Test
    void fixedSubsetIsDrawnOnceEnoughSamplesArriveAndThenNeverChanges() {
        EvalSet set = new EvalSet(new EvalSetConfig(50, 20, SubsetMode.FIXED, 0), 1);
        for (int i = 0; i < 10; i++) {
            set.offer(sample(i));
        }
        // fewer than 20 held: every held sample is scored
        assertThat(set.subset().size()).isEqualTo(10);
        assertThat(set.frozen()).isFalse();
        for (int i = 10; i < 40; i++) {
            set.offer(sample(i));
        }
        EvalSubset first = set.subset();
        assertThat(first.size()).isEqualTo(20);
        assertThat(set.frozen()).isTrue();
        assertThat(first.samples().stream().map(EvalSetTest::id).distinct().count()).isEqualTo(20);
        for (int i = 40; i < 5_000; i++) {
            set.offer(sample(i));
        }
        assertThat(set.subset()).isSameAs(first);
        assertThat(set.subsetBatch()).isSameAs(set.subsetBatch());
    }

    @Test
    void resampledSubsetChangesBetweenEvaluations() {
        EvalSet set = new EvalSet(new EvalSetConfig(100, 10, SubsetMode.RESAMPLED, 0), 3);
        for (int i = 0; i < 100; i++) {
            set.offer(sample(i));
        }
        Set<Set<Integer>> distinct = new HashSet<>();
        for (int k = 0; k < 5; k++) {
            EvalSubset subset = set.subset();
            assertThat(subset.size()).isEqualTo(10);
            Set<Integer> ids = new HashSet<>();
            subset.samples().forEach(s -> ids.add(id(s)));
            assertThat(ids).hasSize(10);
            distinct.add(ids);
        }
        assertThat(distinct).hasSizeGreaterThan(1);
        assertThat(set.frozen()).isFalse();
    }

    @Test
    void sameSeedSameSubset() {
        EvalSet a = new EvalSet(new EvalSetConfig(30, 10, SubsetMode.FIXED, 0), 9);
        EvalSet b = new EvalSet(new EvalSetConfig(30, 10, SubsetMode.FIXED, 0), 9);
        for (int i = 0; i < 500; i++) {
            a.offer(sample(i));
            b.offer(sample(i));
        }
        assertThat(a.subset().samples().stream().map(EvalSetTest::id).toList())
                .isEqualTo(b.subset().samples().stream().map(EvalSetTest::id).toList());
    }

    @Test
    void subsetBecomesARowMajorBatch() {
        EvalSubset subset = new EvalSubset(java.util.List.of(sample(3), sample(7)));
        Batch batch = subset.toBatch();
        assertThat(batch.size()).isEqualTo(2);
        assertThat(batch.features()).containsExactly(3f, -3f, 7f, -7f);
        assertThat(batch.labels()).containsExactly(3, 7);
    }

    @Test
    void rejectsMixedFeatureDimensionsAndBadSizes() {
        EvalSet set = new EvalSet(EvalSetConfig.defaults(0), 0);
        set.offer(sample(1));
        assertThatThrownBy(() -> set.offer(new EvalSample(new float[] {1, 2, 3}, 0)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EvalSetConfig(10, 20, SubsetMode.FIXED, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(EvalSetConfig.defaults(0).subsetSize()).isEqualTo(1000);
    }

    @Test
    void setsAreKeptPerStreamAndTask() {
        EvalSets sets = new EvalSets(new EvalSetConfig(5, 5, SubsetMode.FIXED, 42));
        for (int i = 0; i < 20; i++) {
            sets.offer("mnist", "t" + (i % 2), sample(i));
        }
        sets.offer("text", "en", sample(99));
        assertThat(sets.size()).isEqualTo(3);
        assertThat(sets.tasks("mnist")).containsExactly("t0", "t1");
        assertThat(sets.get("mnist", "t0").orElseThrow().size()).isEqualTo(5);
        assertThat(sets.get("mnist", "t0").orElseThrow().offered()).isEqualTo(10);
        assertThat(sets.get("mnist", "t9")).isEmpty();
        // t0 got only even ids, t1 only odd ones
        assertThat(sets.get("mnist", "t1").orElseThrow().subset().samples()).allMatch(s -> id(s) % 2 == 1);
    }
}
