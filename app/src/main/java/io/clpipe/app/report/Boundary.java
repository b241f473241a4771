package io.clpipe.app.report;

/** The first evaluated iteration whose learning task differs from the previous evaluation's. */
record Boundary(long iteration, String previousTask, String task) {
}
