package io.clpipe.schemas;

/**
 * A sample that cannot be used, and why.
 *
 * @param reason  machine-readable cause
 * @param field   the offending field in its JSON spelling ({@code features[3]}, {@code label}), or null
 *                when the record as a whole is at fault
 * @param message human-readable explanation naming the field and the expected and actual values
 */
public record Rejection(RejectReason reason, String field, String message) implements ValidationResult {

    public Rejection {
        if (reason == null || message == null) {
            throw new IllegalArgumentException("a rejection needs a reason and a message");
        }
    }

    @Override
    public String toString() {
        return reason + ": " + message;
    }
}
