package io.clpipe.evaluator.service;

/** The evaluator's state file cannot be trusted; the message says why. */
final class StateCorruptException extends Exception {

    StateCorruptException(String message) {
        super(message);
    }
}
