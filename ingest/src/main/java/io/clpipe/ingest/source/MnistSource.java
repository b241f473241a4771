package io.clpipe.ingest.source;

import io.clpipe.datasets.LabeledImages;
import io.clpipe.schemas.Features;
import io.clpipe.schemas.avro.Sample;
import io.clpipe.schemas.avro.Split;
import java.util.NoSuchElementException;
import java.util.OptionalLong;
import java.util.function.IntFunction;

/**
 * Yields labelled images as samples of one stream. {@code taskOf} maps an image's label to its task
 * (e.g. Split-MNIST pairs {0,1}→"0-1"), or returns null for task-free samples.
 */
public final class MnistSource implements SampleSource {

    private final LabeledImages images;
    private final String name;
    private final String stream;
    private final IntFunction<String> taskOf;
    private final Split split;
    private final int limit;
    private int next;

    public MnistSource(LabeledImages images, String name, String stream, IntFunction<String> taskOf, Split split, int limit) {
        this.images = images;
        this.name = name;
        this.stream = stream;
        this.taskOf = taskOf;
        this.split = split;
        this.limit = limit <= 0 ? images.count() : Math.min(limit, images.count());
    }

    @Override
    public boolean hasNext() {
        return next < limit;
    }

    @Override
    public Sample next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        int i = next++;
        int label = images.labels()[i];
        return Sample.newBuilder()
                .setStream(stream)
                .setTask(taskOf.apply(label))
                .setFeatures(Features.of(images.image(i)))
                .setLabel(label)
                .setSplit(split)
                .setSampleId(name + ":" + i)
                .build();
    }

    @Override
    public OptionalLong size() {
        return OptionalLong.of(limit);
    }

    @Override
    public String description() {
        return name + " (" + limit + " images)";
    }
}
