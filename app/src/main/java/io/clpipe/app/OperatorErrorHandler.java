package io.clpipe.app;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns an exception escaping a subcommand into one line an operator can act on (exit status 1),
 * with the stack trace only when {@code CLPIPE_DEBUG} is set.
 */
final class OperatorErrorHandler implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cli, ParseResult parsed) {
        Throwable root = e;
        StringBuilder message = new StringBuilder(String.valueOf(e.getMessage()));
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
            if (root.getMessage() != null && !message.toString().contains(root.getMessage())) {
                message.append(": ").append(root.getMessage());
            }
        }
        cli.getErr().println("clpipe " + cli.getCommandName() + ": " + message);
        if (System.getenv("CLPIPE_DEBUG") != null) {
            e.printStackTrace(cli.getErr());
        } else {
            cli.getErr().println("(set CLPIPE_DEBUG=1 for the stack trace)");
        }
        return 1;
    }
}
