package io.clpipe.ingest.scenario;

import io.clpipe.datasets.LabeledImages;

/** A dataset's training and test images (MNIST, Fashion-MNIST, or a small stand-in in tests). */
public record ImageData(LabeledImages train, LabeledImages test) {

    public ImageData {
        if (train.rows() != test.rows() || train.cols() != test.cols()) {
            throw new IllegalArgumentException("train images are " + train.rows() + "x" + train.cols()
                    + " but test images " + test.rows() + "x" + test.cols());
        }
    }
}
