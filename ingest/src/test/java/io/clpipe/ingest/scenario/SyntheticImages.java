package io.clpipe.ingest.scenario;

import io.clpipe.datasets.LabeledImages;

/** Small stand-ins for MNIST-like datasets: every image distinct, labels 0..9 in turn. */
final class SyntheticImages {

    static final int SIDE = 8;

    private SyntheticImages() {
    }

    /** {@code perClass} images of each class 0..9; pixel values depend on {@code salt} and the index. */
    static LabeledImages of(int perClass, int salt) {
        int count = perClass * 10;
        int dim = SIDE * SIDE;
        float[] pixels = new float[count * dim];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = i % 10;
            for (int p = 0; p < dim; p++) {
                pixels[i * dim + p] = ((i * 131 + p * 17 + salt * 7919) % 1009) / 1009f;
            }
        }
        return new LabeledImages(pixels, labels, SIDE, SIDE);
    }

    static ImageData data(int trainPerClass, int testPerClass, int salt) {
        return new ImageData(of(trainPerClass, salt), of(testPerClass, salt + 1));
    }
}
