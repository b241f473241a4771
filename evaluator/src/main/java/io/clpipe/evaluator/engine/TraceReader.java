package io.clpipe.evaluator.engine;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads a CSV trace {@code iteration,task,eval_task,accuracy} (last column {@code loss} in loss
 * mode): one row per score of {@code eval_task} by the model after {@code iteration} updates while
 * {@code task} is being learned. Rows come in non-decreasing iteration order; the rows of one
 * iteration form one {@link Evaluation}, handed to the sink as soon as the next iteration starts.
 * Iteration 0 is the initial model (its task column is not used and may be empty). Blank lines
 * are skipped.
 */
public final class TraceReader {

    private final Direction direction;

    public TraceReader(Direction direction) {
        this.direction = direction;
    }

    public String header() {
        return "iteration,task,eval_task," + direction.label();
    }

    public void read(BufferedReader in, Consumer<Evaluation> sink) throws IOException, TraceFormatException {
        long lineNo = 0;
        String line;
        do {
            line = in.readLine();
            lineNo++;
        } while (line != null && line.isBlank());
        if (line == null) {
            throw new TraceFormatException(lineNo, "empty trace, expected header '" + header() + "'");
        }
        String headerLine = String.join(",", cells(line.replace("\uFEFF", "")));
        if (!headerLine.equals(header())) {
            throw new TraceFormatException(lineNo, "expected header '" + header() + "', got '" + line.strip() + "'");
        }
        Group group = null;
        int rows = 0;
        while ((line = in.readLine()) != null) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            Row row = parse(line, lineNo);
            rows++;
            if (group != null && row.iteration < group.iteration) {
                throw new TraceFormatException(lineNo,
                        "iteration " + row.iteration + " comes after iteration " + group.iteration + " (rows must be in iteration order)");
            }
            if (group == null || row.iteration != group.iteration) {
                if (group != null) {
                    sink.accept(group.toEvaluation());
                }
                group = new Group(row.iteration, row.task);
            }
            group.add(row, lineNo);
        }
        if (group == null) {
            throw new TraceFormatException(lineNo, "the trace has a header but no rows");
        }
        sink.accept(group.toEvaluation());
    }

    private Row parse(String line, long lineNo) throws TraceFormatException {
        String[] cells = cells(line);
        if (cells.length != 4) {
            throw new TraceFormatException(lineNo, "expected 4 comma-separated fields, got " + cells.length);
        }
        long iteration;
        try {
            iteration = Long.parseLong(cells[0]);
        } catch (NumberFormatException e) {
            throw new TraceFormatException(lineNo, "iteration '" + cells[0] + "' is not an integer");
        }
        if (iteration < 0) {
            throw new TraceFormatException(lineNo, "iteration " + iteration + " is negative");
        }
        if (cells[1].isEmpty() && iteration > 0) {
            throw new TraceFormatException(lineNo, "task must not be empty");
        }
        if (cells[2].isEmpty()) {
            throw new TraceFormatException(lineNo, "eval_task must not be empty");
        }
        double score;
        try {
            score = Double.parseDouble(cells[3]);
        } catch (NumberFormatException e) {
            throw new TraceFormatException(lineNo, direction.label() + " '" + cells[3] + "' is not a number");
        }
        if (!Double.isFinite(score)) {
            throw new TraceFormatException(lineNo, direction.label() + " " + cells[3] + " is not finite");
        }
        if (direction == Direction.ACCURACY && (score < 0 || score > 1)) {
            throw new TraceFormatException(lineNo, "accuracy " + cells[3] + " is outside [0, 1]");
        }
        if (direction == Direction.LOSS && score < 0) {
            throw new TraceFormatException(lineNo, "loss " + cells[3] + " is negative");
        }
        return new Row(iteration, cells[1], cells[2], score);
    }

    private static String[] cells(String line) {
        String[] cells = line.split(",", -1);
        for (int i = 0; i < cells.length; i++) {
            cells[i] = cells[i].strip();
        }
        return cells;
    }

    private record Row(long iteration, String task, String evalTask, double score) {
    }

    private static final class Group {
        final long iteration;
        final String task;
        final Map<String, Double> scores = new LinkedHashMap<>();

        Group(long iteration, String task) {
            this.iteration = iteration;
            this.task = task;
        }

        void add(Row row, long lineNo) throws TraceFormatException {
            if (iteration > 0 && !row.task.equals(task)) {
                throw new TraceFormatException(lineNo,
                        "iteration " + iteration + " is learning task '" + task + "' on an earlier row, not '" + row.task + "'");
            }
            if (scores.putIfAbsent(row.evalTask, row.score) != null) {
                throw new TraceFormatException(lineNo, "task '" + row.evalTask + "' is scored twice at iteration " + iteration);
            }
        }

        Evaluation toEvaluation() {
            return new Evaluation(iteration, iteration == 0 ? null : task, scores);
        }
    }
}
