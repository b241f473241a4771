package io.clpipe.bench.learner;

/** The PyTorch peer could not be started or stopped answering; the benchmark reports ND4J alone. */
public final class TorchUnavailableException extends RuntimeException {

    public TorchUnavailableException(String message) {
        super(message);
    }

    public TorchUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
