package io.clpipe.evaluator.service;

/**
 * A metrics transaction was refused because the consumer group rebalanced meanwhile: some models
 * partitions of the batch may belong to another evaluator now. The transaction was aborted; the
 * evaluator rolls back to its last committed state and rejoins the group.
 */
final class OwnershipLostException extends RuntimeException {

    OwnershipLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
