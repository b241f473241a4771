package io.clpipe.ingest.source;

import io.clpipe.schemas.InvalidSampleException;
import io.clpipe.schemas.SampleJson;
import io.clpipe.schemas.avro.Sample;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Reads one JSON sample per line (the {@code clpipe.samples} JSON form, see docs/records.md).
 * A line that is not a JSON sample stops the run with its line number; value rules (dimension,
 * label range…) are left to ingest, which routes violations to the dead-letter topic.
 */
public final class JsonLinesSource implements SampleSource {

    private final Path file;
    private final NumberedLines lines;
    private final String defaultStream;

    public JsonLinesSource(Path file, String defaultStream) throws IOException {
        this.file = file;
        this.lines = new NumberedLines(file);
        this.defaultStream = defaultStream;
    }

    @Override
    public boolean hasNext() {
        return lines.hasNext();
    }

    @Override
    public Sample next() {
        NumberedLines.Line line = lines.next();
        long at = line.number();
        Sample sample;
        try {
            sample = SampleJson.parse(line.text().getBytes(StandardCharsets.UTF_8));
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
        lines.close();
    }
}
