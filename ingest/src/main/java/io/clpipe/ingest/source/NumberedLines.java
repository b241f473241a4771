package io.clpipe.ingest.source;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.NoSuchElementException;

/** The non-blank lines of a UTF-8 file with their 1-based line numbers, read one ahead. */
final class NumberedLines implements AutoCloseable {

    record Line(String text, long number) {
    }

    private final Path file;
    private final BufferedReader reader;
    private long lineNumber;
    private String pending;

    NumberedLines(Path file) throws IOException {
        this.file = file;
        this.reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        advance();
    }

    boolean hasNext() {
        return pending != null;
    }

    String peek() {
        return pending;
    }

    Line next() {
        if (pending == null) {
            throw new NoSuchElementException();
        }
        Line line = new Line(pending, lineNumber);
        advance();
        return line;
    }

    private void advance() {
        try {
            do {
                pending = reader.readLine();
                lineNumber++;
            } while (pending != null && pending.isBlank());
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
    }

    @Override
    public void close() {
        try {
            reader.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
