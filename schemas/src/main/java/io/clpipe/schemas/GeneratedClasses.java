package io.clpipe.schemas;

import io.clpipe.schemas.avro.ControlEvent;
import io.clpipe.schemas.avro.ControlType;
import io.clpipe.schemas.avro.IterationMetrics;
import io.clpipe.schemas.avro.MetricDirection;
import io.clpipe.schemas.avro.ModelSnapshot;
import io.clpipe.schemas.avro.PredictionRequest;
import io.clpipe.schemas.avro.Sample;
import io.clpipe.schemas.avro.Split;
import io.clpipe.schemas.avro.TaskMetrics;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;

/**
 * Resolves clpipe's generated Avro classes from this fixed list rather than by name. Avro 1.12.2
 * refuses to load any class by name that is not trusted through a JVM-wide system property or
 * global validator (its ClassSecurityValidator); handing the classes over keeps every service free
 * of that setting.
 */
final class GeneratedClasses extends SpecificData {

    private final Map<String, Class<?>> byName = Stream.of(Sample.class, Split.class, ControlEvent.class,
                    ControlType.class, ModelSnapshot.class, IterationMetrics.class, TaskMetrics.class, MetricDirection.class,
                    PredictionRequest.class)
            .collect(Collectors.toUnmodifiableMap(Class::getName, Function.identity()));

    @Override
    @SuppressWarnings("rawtypes")
    public Class getClass(Schema schema) {
        return switch (schema.getType()) {
            case RECORD, ENUM, FIXED -> {
                Class<?> known = byName.get(schema.getFullName());
                yield known != null ? known : super.getClass(schema);
            }
            default -> super.getClass(schema);
        };
    }
}
