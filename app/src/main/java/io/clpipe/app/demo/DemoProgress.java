package io.clpipe.app.demo;

/** Where a demo run is: samples trained of the total, and a status text (iteration, lr, loss, accuracies). */
public record DemoProgress(long trained, long total, String status) {
}
