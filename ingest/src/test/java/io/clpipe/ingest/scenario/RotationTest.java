package io.clpipe.ingest.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RotationTest {

    private static final int SIDE = 28;

    private static float[] randomImage(long seed) {
        Random random = new Random(seed);
        float[] image = new float[SIDE * SIDE];
        for (int i = 0; i < image.length; i++) {
            image[i] = random.nextFloat();
        }
        return image;
    }

    private static float[] onePixel(int row, int col) {
        float[] image = new float[SIDE * SIDE];
        image[row * SIDE + col] = 1f;
        return image;
    }

    private static int brightest(float[] image) {
        int best = 0;
        for (int i = 1; i < image.length; i++) {
            if (image[i] > image[best]) {
                best = i;
            }
        }
        return best;
    }

    @Test
    void zeroDegreesIsTheIdentity() {
        float[] image = randomImage(1);
        assertThat(new Rotation(0, SIDE, SIDE).apply(image)).containsExactly(image);
    }

    @Test
    void ninetyDegreesTurnsCounterClockwiseAboutTheCentre() {
        Rotation ninety = new Rotation(90, SIDE, SIDE);
        // top-right corner goes to the top-left corner
        float[] corner = ninety.apply(onePixel(0, 27));
        assertThat(corner[0]).isEqualTo(1f);
        assertThat(sum(corner)).isEqualTo(1f);
        // (row 3, col 20): x = 20 − 13.5 = 6.5, y = 3 − 13.5 = −10.5 → row 13.5 − 6.5 = 7, col 13.5 − 10.5 = 3
        float[] moved = ninety.apply(onePixel(3, 20));
        assertThat(brightest(moved)).isEqualTo(7 * SIDE + 3);
        assertThat(moved[7 * SIDE + 3]).isEqualTo(1f);
        // four quarter turns give the image back exactly (whole-pixel moves, no interpolation)
        float[] image = randomImage(2);
        float[] turned = image;
        for (int i = 0; i < 4; i++) {
            turned = ninety.apply(turned);
        }
        assertThat(turned).containsExactly(image);
    }

    @Test
    void oneEightyDegreesMirrorsThroughTheCentre() {
        float[] image = randomImage(3);
        float[] out = new Rotation(180, SIDE, SIDE).apply(image);
        for (int r = 0; r < SIDE; r++) {
            for (int c = 0; c < SIDE; c++) {
                assertThat(out[(SIDE - 1 - r) * SIDE + (SIDE - 1 - c)]).isEqualTo(image[r * SIDE + c]);
            }
        }
    }

    @Test
    void bilinearWeightsSumToOneInsideAndTheOutsideIsBlack() {
        float[] white = new float[SIDE * SIDE];
        java.util.Arrays.fill(white, 1f);
        float[] out = new Rotation(30, SIDE, SIDE).apply(white);
        assertThat(out[14 * SIDE + 14]).isCloseTo(1f, within(1e-6f)); // the centre's source is inside
        assertThat(out[0]).isEqualTo(0f); // the corner's source, turned 30°, lies outside the image
        float[] pixel = new Rotation(30, SIDE, SIDE).apply(onePixel(10, 20));
        // a 30° turn spreads one pixel over its neighbours; bilinear sampling conserves it only roughly
        assertThat(sum(pixel)).isCloseTo(1f, within(0.35f));
        // and moves it to where the forward map sends it: x 6.5, y −3.5 → x' 6.5·cos30 − 3.5·sin30 = 3.88,
        // y' −6.5·sin30 − 3.5·cos30 = −6.28 → row 7.22, col 17.38
        int at = brightest(pixel);
        assertThat(at / SIDE).isEqualTo(7);
        assertThat(at % SIDE).isBetween(17, 18);
    }

    private static float sum(float[] values) {
        float s = 0;
        for (float v : values) {
            s += v;
        }
        return s;
    }
}
