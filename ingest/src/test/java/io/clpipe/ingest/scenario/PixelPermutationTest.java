package io.clpipe.ingest.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PixelPermutationTest {

    @Test
    void aRandomPermutationIsABijectionOfAllPixels() {
        int[] source = PixelPermutation.random(784, new Random(3)).source();
        assertThat(source).hasSize(784);
        int[] sorted = source.clone();
        Arrays.sort(sorted);
        assertThat(sorted).containsExactly(IntStream.range(0, 784).toArray());
        long fixedPoints = IntStream.range(0, 784).filter(i -> source[i] == i).count();
        assertThat(fixedPoints).as("a shuffle of 784 leaves about one pixel in place").isLessThan(10);
    }

    @Test
    void applyingItMovesEachPixelToItsPlaceAndTheSeedFixesIt() {
        PixelPermutation p = PixelPermutation.random(784, new Random(3));
        assertThat(PixelPermutation.random(784, new Random(3)).source()).isEqualTo(p.source());
        assertThat(PixelPermutation.random(784, new Random(4)).source()).isNotEqualTo(p.source());
        float[] image = new float[784];
        for (int i = 0; i < image.length; i++) {
            image[i] = i;
        }
        float[] out = p.apply(image);
        for (int i = 0; i < out.length; i++) {
            assertThat(out[i]).isEqualTo((float) p.source()[i]);
        }
        assertThat(image[5]).isEqualTo(5f); // input untouched
        assertThat(PixelPermutation.identity(784).apply(image)).containsExactly(image);
    }

    @Test
    void refusesWhatIsNotAPermutation() {
        assertThatThrownBy(() -> new PixelPermutation(new int[] {0, 1, 1})).hasMessageContaining("not a permutation");
        assertThatThrownBy(() -> new PixelPermutation(new int[] {0, 3, 1})).hasMessageContaining("not a permutation");
        assertThatThrownBy(() -> PixelPermutation.identity(4).apply(new float[5])).hasMessageContaining("5 pixels");
    }
}
