package io.clpipe.drift;

/**
 * A reported change.
 *
 * @param signal   the detector that fired first (in the order labels, features, loss)
 * @param position 1-based index of the observation that triggered it, among all the monitor has seen
 * @param detail   one line for the control event's reason and the log
 */
public record Detection(Signal signal, long position, String detail) {
}
