package io.clpipe.datasets;

/** A dataset the caller asked for is not in the local cache. */
public class DatasetMissingException extends RuntimeException {
    public DatasetMissingException(String message) {
        super(message);
    }
}
