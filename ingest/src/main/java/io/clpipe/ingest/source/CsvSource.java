package io.clpipe.ingest.source;

import io.clpipe.schemas.Features;
import io.clpipe.schemas.avro.Sample;
import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Reads a CSV file whose rows are {@code label,f0,f1,...} (the label column index is configurable).
 * A first row that does not parse as numbers is taken as a header. Bad rows fail with the line number:
 * producing a file is a user action, so a typo should stop it, not silently skip data.
 */
public final class CsvSource implements SampleSource {

    private final Path file;
    private final NumberedLines lines;
    private final String stream;
    private final String task;
    private final int labelColumn;

    public CsvSource(Path file, String stream, String task, int labelColumn) throws IOException {
        this.file = file;
        this.lines = new NumberedLines(file);
        this.stream = stream;
        this.task = task;
        this.labelColumn = labelColumn;
        if (lines.hasNext() && !looksNumeric(lines.peek())) {
            lines.next(); // header
        }
    }

    private static boolean looksNumeric(String line) {
        String first = line.split(",", 2)[0].trim();
        try {
            Double.parseDouble(first);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    @Override
    public boolean hasNext() {
        return lines.hasNext();
    }

    @Override
    public Sample next() {
        NumberedLines.Line line = lines.next();
        long at = line.number();
        String[] cells = line.text().split(",", -1);
        if (labelColumn >= cells.length || cells.length < 2) {
            throw new IllegalArgumentException(file + ":" + at + ": expected a label column " + labelColumn
                    + " and at least one feature, got " + cells.length + " cells");
        }
        float[] features = new float[cells.length - 1];
        int label;
        try {
            label = Integer.parseInt(cells[labelColumn].trim());
            for (int c = 0, f = 0; c < cells.length; c++) {
                if (c != labelColumn) {
                    features[f++] = Float.parseFloat(cells[c].trim());
                }
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + ":" + at + ": not a number (" + e.getMessage() + ")", e);
        }
        return Sample.newBuilder()
                .setStream(stream)
                .setTask(task)
                .setFeatures(Features.of(features))
                .setLabel(label)
                .setSampleId(file.getFileName() + ":" + at)
                .build();
    }

    @Override
    public OptionalLong size() {
        return OptionalLong.empty();
    }

    @Override
    public String description() {
        return "csv " + file;
    }

    @Override
    public void close() {
        lines.close();
    }
}
