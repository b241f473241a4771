package io.clpipe.learner.engine.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.clpipe.learner.engine.Sample;
import io.clpipe.learner.engine.Xoshiro256;
import org.junit.jupiter.api.Test;

class BalancedBufferTest {

    @Test
    void classBalancedGivesEachClassAnEqualShareEvenForSkewedStreams() {
        BalancedBuffer buffer = BalancedBuffer.classBalanced(100);
        Xoshiro256 rng = new Xoshiro256(3);
        // class 0 floods the stream first, then classes 1..3 arrive rarely
        for (int i = 0; i < 5000; i++) {
            buffer.add(Sample.dense(new float[] {i}, 0, 0), rng);
        }
        assertThat(buffer.groupSize(0)).isEqualTo(100);
        for (int i = 0; i < 300; i++) {
            buffer.add(Sample.dense(new float[] {i}, 1 + i % 3, 1), rng);
        }
        assertThat(buffer.size()).isEqualTo(100);
        assertThat(buffer.groupCount()).isEqualTo(4);
        for (int c = 0; c < 4; c++) {
            assertThat(buffer.groupSize(c)).as("class %d", c).isEqualTo(25);
        }
    }

    @Test
    void unevenCapacityGoesToTheOldestGroups() {
        BalancedBuffer buffer = BalancedBuffer.taskBalanced(10);
        Xoshiro256 rng = new Xoshiro256(4);
        for (int task = 0; task < 3; task++) {
            for (int i = 0; i < 50; i++) {
                buffer.add(Sample.dense(new float[] {i}, i % 2, task), rng);
            }
        }
        assertThat(buffer.groupSize(0)).isEqualTo(4);
        assertThat(buffer.groupSize(1)).isEqualTo(3);
        assertThat(buffer.groupSize(2)).isEqualTo(3);
        assertThat(buffer.size()).isEqualTo(10);
    }

    @Test
    void eachTaskKeepsAUniformSampleOfItsOwnStream() {
        int perTask = 200;
        int capacity = 40;
        int trials = 3000;
        Xoshiro256 rng = new Xoshiro256(11);
        long[] counts = new long[2 * perTask];
        for (int t = 0; t < trials; t++) {
            BalancedBuffer buffer = BalancedBuffer.taskBalanced(capacity);
            for (int i = 0; i < 2 * perTask; i++) {
                buffer.add(Sample.dense(new float[] {i}, 0, i / perTask), rng);
            }
            for (int i = 0; i < buffer.size(); i++) {
                counts[(int) ((Sample.Dense) buffer.get(i)).features()[0]]++;
            }
        }
        // task 0 filled the whole buffer, then was cut to 20 by random evictions; task 1 kept 20 by reservoir
        long[] task0 = java.util.Arrays.copyOfRange(counts, 0, perTask);
        long[] task1 = java.util.Arrays.copyOfRange(counts, perTask, 2 * perTask);
        double expected = (double) trials * (capacity / 2) / perTask;
        // χ² critical value, 199 degrees of freedom, p = 0.001: 259.0
        assertThat(ReservoirBufferTest.chiSquare(task0, expected)).isLessThan(259.0);
        assertThat(ReservoirBufferTest.chiSquare(task1, expected)).isLessThan(259.0);
    }

    @Test
    void restoresItsStateExactly() {
        BalancedBuffer buffer = BalancedBuffer.classBalanced(30);
        Xoshiro256 rng = new Xoshiro256(5);
        for (int i = 0; i < 400; i++) {
            buffer.add(Sample.bytes(new byte[] {(byte) i, 7}, i % 4, 0), rng);
        }
        BalancedBuffer copy = BalancedBuffer.classBalanced(30);
        copy.restore(buffer.state());
        Xoshiro256 a = Xoshiro256.fromState(rng.state());
        Xoshiro256 b = Xoshiro256.fromState(rng.state());
        for (int i = 0; i < 400; i++) {
            Sample s = Sample.bytes(new byte[] {(byte) i, 9}, i % 6, 0);
            buffer.add(s, a);
            copy.add(s, b);
        }
        assertThat(copy.state()).isEqualTo(buffer.state());
        assertThat(copy.groupCount()).isEqualTo(6);
    }
}
