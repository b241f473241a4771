package io.clpipe.app.report;

/**
 * A task change: {@code iteration} is b, the last evaluated iteration of {@code previousTask} (the
 * evaluation just before the first one of {@code task}; docs/metrics.md, "Boundaries").
 */
record Boundary(long iteration, String previousTask, String task) {
}
