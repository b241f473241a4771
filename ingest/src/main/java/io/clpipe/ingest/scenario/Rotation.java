package io.clpipe.ingest.scenario;

/**
 * Rotated-MNIST's task transform: the image turned counter-clockwise (as displayed, rows going down)
 * by {@code degrees} about its centre, bilinear interpolation, zero outside the source. The four
 * source pixels and weights of every output pixel are computed once.
 */
public final class Rotation implements ImageTransform {

    private final double degrees;
    private final int rows;
    private final int cols;
    private final int[] taps;      // 4 source indices per output pixel, -1 = outside
    private final float[] weights; // 4 weights per output pixel

    public Rotation(double degrees, int rows, int cols) {
        this.degrees = degrees;
        this.rows = rows;
        this.cols = cols;
        this.taps = new int[4 * rows * cols];
        this.weights = new float[4 * rows * cols];
        double radians = Math.toRadians(degrees);
        double cos = exactNearZero(Math.cos(radians));
        double sin = exactNearZero(Math.sin(radians));
        double cy = (rows - 1) / 2.0;
        double cx = (cols - 1) / 2.0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double x = c - cx;
                double y = r - cy;
                // inverse of the forward map x' = x·cos + y·sin, y' = −x·sin + y·cos
                double sx = x * cos - y * sin + cx;
                double sy = x * sin + y * cos + cy;
                setTaps((r * cols + c) * 4, sx, sy);
            }
        }
    }

    // cos(90°) is 6e-17 in floating point; without this, 90° turns would blur by that much.
    private static double exactNearZero(double v) {
        return Math.abs(v) < 1e-12 ? 0.0 : v;
    }

    private void setTaps(int at, double sx, double sy) {
        int x0 = (int) Math.floor(sx);
        int y0 = (int) Math.floor(sy);
        double fx = sx - x0;
        double fy = sy - y0;
        tap(at, y0, x0, (1 - fx) * (1 - fy));
        tap(at + 1, y0, x0 + 1, fx * (1 - fy));
        tap(at + 2, y0 + 1, x0, (1 - fx) * fy);
        tap(at + 3, y0 + 1, x0 + 1, fx * fy);
    }

    private void tap(int at, int r, int c, double weight) {
        boolean inside = r >= 0 && r < rows && c >= 0 && c < cols && weight != 0;
        taps[at] = inside ? r * cols + c : -1;
        weights[at] = inside ? (float) weight : 0f;
    }

    public double degrees() {
        return degrees;
    }

    @Override
    public float[] apply(float[] image) {
        if (image.length != rows * cols) {
            throw new IllegalArgumentException("image has " + image.length + " pixels, rotation expects " + rows + "x" + cols);
        }
        float[] out = new float[image.length];
        for (int p = 0; p < out.length; p++) {
            float v = 0f;
            for (int k = 4 * p; k < 4 * p + 4; k++) {
                if (taps[k] >= 0) {
                    v += weights[k] * image[taps[k]];
                }
            }
            out[p] = v;
        }
        return out;
    }
}
