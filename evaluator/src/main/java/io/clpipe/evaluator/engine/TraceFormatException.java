package io.clpipe.evaluator.engine;

/** A metrics trace that cannot be read; the message names the offending line. */
public final class TraceFormatException extends Exception {

    private static final long serialVersionUID = 1L;

    private final long line;

    public TraceFormatException(long line, String problem) {
        super("line " + line + ": " + problem);
        this.line = line;
    }

    public long line() {
        return line;
    }
}
