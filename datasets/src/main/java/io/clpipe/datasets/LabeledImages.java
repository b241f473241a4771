package io.clpipe.datasets;

/**
 * Images with class labels, pixels scaled to [0, 1], row-major {@code count * rows * cols}.
 */
public record LabeledImages(float[] pixels, int[] labels, int rows, int cols) {

    public LabeledImages {
        if (pixels.length != (long) labels.length * rows * cols) {
            throw new IllegalArgumentException("pixels length " + pixels.length + " != " + labels.length + "*" + rows + "*" + cols);
        }
    }

    public int count() {
        return labels.length;
    }

    public int dim() {
        return rows * cols;
    }

    /** Copy of image {@code i}'s pixels. */
    public float[] image(int i) {
        float[] out = new float[dim()];
        System.arraycopy(pixels, i * dim(), out, 0, dim());
        return out;
    }

    /** The first {@code n} images (or all if fewer). */
    public LabeledImages head(int n) {
        int m = Math.min(n, count());
        float[] p = new float[m * dim()];
        System.arraycopy(pixels, 0, p, 0, p.length);
        int[] l = new int[m];
        System.arraycopy(labels, 0, l, 0, m);
        return new LabeledImages(p, l, rows, cols);
    }
}
