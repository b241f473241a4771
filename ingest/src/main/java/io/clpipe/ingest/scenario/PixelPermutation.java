package io.clpipe.ingest.scenario;

import java.util.Random;

/** Permuted-MNIST's task transform: output pixel i is input pixel {@code source[i]}. */
public record PixelPermutation(int[] source) implements ImageTransform {

    public PixelPermutation {
        source = source.clone();
        boolean[] seen = new boolean[source.length];
        for (int s : source) {
            if (s < 0 || s >= source.length || seen[s]) {
                throw new IllegalArgumentException("not a permutation of 0.." + (source.length - 1) + ": " + s);
            }
            seen[s] = true;
        }
    }

    public static PixelPermutation identity(int size) {
        int[] source = new int[size];
        for (int i = 0; i < size; i++) {
            source[i] = i;
        }
        return new PixelPermutation(source);
    }

    public static PixelPermutation random(int size, Random random) {
        int[] source = identity(size).source;
        Seeds.shuffle(source, random);
        return new PixelPermutation(source);
    }

    @Override
    public int[] source() {
        return source.clone();
    }

    @Override
    public float[] apply(float[] image) {
        if (image.length != source.length) {
            throw new IllegalArgumentException("image has " + image.length + " pixels, permutation " + source.length);
        }
        float[] out = new float[image.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = image[source[i]];
        }
        return out;
    }
}
