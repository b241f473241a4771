package io.clpipe.ingest.source;

import io.clpipe.schemas.InvalidSampleException;
import io.clpipe.schemas.SampleJson;
import io.clpipe.schemas.avro.Sample;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.NoSuchElementException;
import java.util.OptionalLong;

/**
 * Reads one JSON sample per line (the {@code clpipe.samples} JSON form, see docs/records.md).
 * A line that is not a JSON sample stops the run with its line number; value rules (dimension,
 * label range…) are left to ingest, which routes violations to the dead-letter topic.
 */
public final class JsonLinesSource implements SampleSource {

    private final Path file;
    private final BufferedReader reader;
    private final String defaultStream;
    private long lineNumber;
    private String pending;

    public JsonLinesSource(Path file, String defaultStream) throws IOException {
        this.file = file;
        this.reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        this.defaultStream = defaultStream;
        advance();
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
    public boolean hasNext() {
        return pending != null;
    }

    @Override
    public Sample next() {
        if (pending == null) {
            throw new NoSuchElementException();
        }
        String line = pending;
        long at = lineNumber;
        advance();
        Sample sample;
        try {
            sample = SampleJson.parse(line.getBytes(StandardCharsets.UTF_8));
        } catch (InvalidSampleException e) {
            throw new IllegalArgumentException(file + ":" + at + ": " + e.getMessage(), e);
        }
        if (sample.getStream().isEmpty()) {
            sample.setStream(defaultStream);
        }
        if (sample.getSampleId().isEmpty()) {
            sample.setSampleId(file.getFileName() + ":" + at);
        }
        return sample;
    }

    @Override
    public OptionalLong size() {
        return OptionalLong.empty();
    }

    @Override
    public String description() {
        return "json lines " + file;
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
