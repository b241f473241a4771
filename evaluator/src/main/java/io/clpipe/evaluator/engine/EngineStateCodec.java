package io.clpipe.evaluator.engine;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The binary form of one stream's {@link EngineState} (its config, task scores, accuracy matrix and
 * gaps), written inside the evaluator's state file; the file's framing, version and checksum belong to
 * the service that stores it. Strings are modified UTF-8, nullable values carry a presence byte and
 * lists their size ({@link BinaryFields}).
 */
public final class EngineStateCodec {

    private EngineStateCodec() {
    }

    public static void write(DataOutputStream out, EngineState e) throws IOException {
        EngineConfig c = e.config();
        out.writeUTF(c.direction().label());
        BinaryFields.writeList(out, c.windows(), DataOutputStream::writeInt);
        out.writeInt(c.lcaBeta());
        out.writeDouble(c.recoveryTolerance());
        out.writeInt(c.gapHistory());
        out.writeLong(e.lastIteration());
        BinaryFields.writeNullableString(out, e.currentTask());
        out.writeInt(e.lastScores().size());
        for (Map.Entry<String, Double> score : e.lastScores().entrySet()) {
            out.writeUTF(score.getKey());
            out.writeDouble(score.getValue());
        }
        out.writeInt(e.tasks().size());
        for (EngineState.Task t : e.tasks()) {
            out.writeUTF(t.id());
            out.writeInt(t.learnOrder());
            BinaryFields.writeNullableDouble(out, t.latest());
            out.writeLong(t.latestIteration());
            BinaryFields.writeNullableDouble(out, t.worstSinceEnd());
            BinaryFields.writeNullableDouble(out, t.initial());
            BinaryFields.writeList(out, t.recentGoodness(), DataOutputStream::writeDouble);
            BinaryFields.writeList(out, t.maxDrop(), DataOutputStream::writeDouble);
            BinaryFields.writeList(out, t.maxRise(), DataOutputStream::writeDouble);
            out.writeInt(t.curveCount());
            out.writeDouble(t.curveSum());
        }
        out.writeInt(e.matrix().size());
        for (EngineState.Cell cell : e.matrix()) {
            out.writeUTF(cell.learningTask());
            out.writeUTF(cell.evalTask());
            out.writeDouble(cell.score());
        }
        out.writeInt(e.openGaps().size());
        for (EngineState.OpenGap g : e.openGaps()) {
            out.writeLong(g.boundaryIteration());
            out.writeUTF(g.task());
            out.writeDouble(g.before());
            out.writeLong(g.beforeIteration());
            BinaryFields.writeNullableDouble(out, g.worst());
            BinaryFields.writeNullableLong(out, g.worstIteration());
            out.writeBoolean(g.left());
            BinaryFields.writeNullableLong(out, g.recoveredAt());
        }
        out.writeInt(e.closedGaps().size());
        for (StabilityGap g : e.closedGaps()) {
            out.writeLong(g.boundaryIteration());
            out.writeUTF(g.task());
            out.writeDouble(g.before());
            out.writeLong(g.beforeIteration());
            BinaryFields.writeNullableDouble(out, g.worst());
            BinaryFields.writeNullableLong(out, g.worstIteration());
            BinaryFields.writeNullableDouble(out, g.depth());
            BinaryFields.writeNullableLong(out, g.recoveryIterations());
            out.writeBoolean(g.open());
        }
    }

    public static EngineState read(DataInputStream in) throws IOException {
        EngineConfig config = new EngineConfig(Direction.parse(in.readUTF()), BinaryFields.readList(in, DataInputStream::readInt), in.readInt(), in.readDouble(),
                in.readInt());
        long lastIteration = in.readLong();
        String current = BinaryFields.readNullableString(in);
        int scoreCount = BinaryFields.count(in);
        Map<String, Double> scores = new LinkedHashMap<>();
        for (int i = 0; i < scoreCount; i++) {
            scores.put(in.readUTF(), in.readDouble());
        }
        int taskCount = BinaryFields.count(in);
        List<EngineState.Task> tasks = new ArrayList<>(taskCount);
        for (int i = 0; i < taskCount; i++) {
            tasks.add(new EngineState.Task(in.readUTF(), in.readInt(), BinaryFields.readNullableDouble(in), in.readLong(),
                    BinaryFields.readNullableDouble(in), BinaryFields.readNullableDouble(in), BinaryFields.readList(in, DataInputStream::readDouble), BinaryFields.readList(in, DataInputStream::readDouble), BinaryFields.readList(in, DataInputStream::readDouble),
                    in.readInt(), in.readDouble()));
        }
        int cellCount = BinaryFields.count(in);
        List<EngineState.Cell> cells = new ArrayList<>(cellCount);
        for (int i = 0; i < cellCount; i++) {
            cells.add(new EngineState.Cell(in.readUTF(), in.readUTF(), in.readDouble()));
        }
        int openCount = BinaryFields.count(in);
        List<EngineState.OpenGap> open = new ArrayList<>(openCount);
        for (int i = 0; i < openCount; i++) {
            open.add(new EngineState.OpenGap(in.readLong(), in.readUTF(), in.readDouble(), in.readLong(),
                    BinaryFields.readNullableDouble(in), BinaryFields.readNullableLong(in), in.readBoolean(), BinaryFields.readNullableLong(in)));
        }
        int closedCount = BinaryFields.count(in);
        List<StabilityGap> closed = new ArrayList<>(closedCount);
        for (int i = 0; i < closedCount; i++) {
            closed.add(new StabilityGap(in.readLong(), in.readUTF(), in.readDouble(), in.readLong(), BinaryFields.readNullableDouble(in),
                    BinaryFields.readNullableLong(in), BinaryFields.readNullableDouble(in), BinaryFields.readNullableLong(in), in.readBoolean()));
        }
        return new EngineState(config, lastIteration, current, scores, tasks, cells, open, closed);
    }
}
