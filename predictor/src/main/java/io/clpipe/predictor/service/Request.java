package io.clpipe.predictor.service;

import io.clpipe.predictor.engine.Query;

/** A decoded scoring request: which stream's model, the client's id, and what to score. */
record Request(String stream, String id, Query query) {
}
