package io.clpipe.drift;

/** Everything a {@link PageHinkley} test remembers. */
public record PageHinkleyState(long count, double mean, double up, double minUp, double down, double minDown) {
    public static final PageHinkleyState EMPTY = new PageHinkleyState(0, 0, 0, 0, 0, 0);
}
