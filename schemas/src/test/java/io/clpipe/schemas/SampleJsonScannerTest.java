package io.clpipe.schemas;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.clpipe.schemas.avro.Sample;
import io.clpipe.schemas.avro.Split;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The fast path of SampleJson.parse must read what Jackson reads, exactly, or step aside (null): whatever
 * the input, {@code parse} then behaves as the Jackson parse alone did.
 */
class SampleJsonScannerTest {

    @Property(tries = 500)
    void readsWhatItsWriterWritesAsJacksonDoes(@ForAll("samples") Sample sample) {
        byte[] json = SampleJson.write(sample);

        Sample fast = SampleJsonScanner.tryParse(json);

        if (commonShape(sample)) {
            assertThat(fast).as("the common shape takes the fast path").isNotNull();
        }
        agrees(json);
    }

    @Property(tries = 3000)
    void agreesWithJacksonOnCorruptedSamples(@ForAll("samples") Sample sample, @ForAll @IntRange(min = 0, max = 100_000) int where,
                                             @ForAll("jsonBytes") byte replacement, @ForAll boolean truncate) {
        byte[] json = SampleJson.write(sample);
        int at = where % json.length;
        byte[] bytes = truncate ? java.util.Arrays.copyOf(json, at) : json.clone();
        if (!truncate) {
            bytes[at] = replacement;
        }
        agrees(bytes);
    }

    @Property(tries = 3000)
    void readsNumbersAsDoubleParseDoubleThenFloat(@ForAll("numbers") String number) {
        agrees(("{\"features\":[" + number + "," + number + "],\"label\":1}").getBytes(ISO_8859_1));
        agrees(("{\"label\":" + number + ",\"text\":\"x\"}").getBytes(ISO_8859_1));
        agrees(("{\"event_time\":" + number + ",\"ingest_time\":" + number + ",\"text\":\"x\"}").getBytes(ISO_8859_1));
    }

    @Test
    void hardNumbersAndShapes() {
        for (String number : List.of("0", "-0", "-0.0", "0.0", "1e22", "1e23", "9007199254740993", "123456789012345678",
                "0.30000000000000004", "1.00000000000000000001", "3.4028235e38", "3.4028236e38", "1e-46", "1.4e-45", "7e-46",
                "1e400", "-1e400", "1E5", "1e+5", "01", "1.", ".5", "+1", "1e", "--1", "NaN", "Infinity", "-Infinity",
                "2147483648", "-2147483649", "999999999", "1000000000", "0.1e1", "1.5e-3", "0.32941177", "4.9E-324")) {
            agrees(("{\"features\":[" + number + "],\"label\":0}").getBytes(ISO_8859_1));
            agrees(("{\"label\":" + number + ",\"features\":[1]}").getBytes(ISO_8859_1));
            agrees(("{\"event_time\":" + number + ",\"text\":\"t\"}").getBytes(ISO_8859_1));
        }
        for (String json : List.of("{}", " { } ", "{\"features\":[]}", "{\"features\":[ 1 , 2 ]}", "{\"features\":null,\"label\":1}",
                "{\"stream\":\"a\",\"stream\":\"b\"}", "{\"stream\":\"a\\\"b\",\"text\":\"x\"}", "{\"stream\":7,\"text\":\"x\"}",
                "{\"task\":\"\",\"sample_id\":\"\",\"text\":\"\"}", "{\"split\":\"TRAIN\",\"text\":\"x\"}", "{\"split\":\"other\"}",
                "{\"control\":{\"type\":\"task-start\"}}", "{\"unknown\":1,\"text\":\"x\"}", "{\"text\":\"x\"} x", "{\"text\":\"x\",}",
                "[1]", "", "   ", "{\"text\":\"caf\u00e9\"}", "\uFEFF{\"text\":\"x\"}", "{\"event_time\":\"2024-05-01T12:00:00Z\",\"text\":\"x\"}",
                "{\"features\":[1,[2]],\"label\":1}", "{\"features\":[1,\"2\"],\"label\":1}", "{\"label\":1.0,\"features\":[1]}",
                "{\"text\":\"tab\there\"}", "{\"stream\":\"s\"\n,\t\"features\":\r[1]\n,\"label\":2}")) {
            agrees(json.getBytes(UTF_8));
        }
    }

    /** Same sample, or the fast path stepped aside and parse gives Jackson's outcome (a sample or the same rejection). */
    private static void agrees(byte[] json) {
        Object general = outcome(() -> SampleJson.parseGeneral(json));
        Sample fast = SampleJsonScanner.tryParse(json);
        if (fast != null) {
            assertThat(general).as("Jackson on %s", new String(json, ISO_8859_1)).isInstanceOf(Sample.class);
            assertThat(fast).as("fast path on %s", new String(json, ISO_8859_1)).isEqualTo(general);
            assertThat(bits(fast)).isEqualTo(bits((Sample) general));
        }
        Object parsed = outcome(() -> SampleJson.parse(json));
        if (general instanceof Sample) {
            assertThat(parsed).isEqualTo(general);
        } else {
            assertThat(parsed).isInstanceOf(InvalidSampleException.class);
            assertThat(((InvalidSampleException) parsed).rejection()).isEqualTo(((InvalidSampleException) general).rejection());
        }
    }

    /** Sample.equals compares floats by value (0.0 == -0.0); the bits must match too. */
    private static int[] bits(Sample s) {
        float[] f = Features.toArray(s.getFeatures());
        if (f == null) {
            return null;
        }
        int[] out = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = Float.floatToRawIntBits(f[i]);
        }
        return out;
    }

    private static Object outcome(java.util.function.Supplier<Sample> parse) {
        try {
            return parse.get();
        } catch (InvalidSampleException e) {
            return e;
        }
    }

    /** Alphanumeric strings, finite features, times of at most 18 digits: what clients write, which must not need Jackson. */
    private static boolean commonShape(Sample s) {
        java.util.function.Predicate<String> plain = v -> v == null || v.matches("[A-Za-z0-9]*");
        float[] f = Features.toArray(s.getFeatures());
        boolean finite = f == null || java.util.stream.IntStream.range(0, f.length).allMatch(i -> Float.isFinite(f[i]));
        java.util.function.LongPredicate shortTime = t -> t > -1_000_000_000_000_000_000L && t < 1_000_000_000_000_000_000L;
        return plain.test(s.getStream()) && plain.test(s.getTask()) && plain.test(s.getText()) && plain.test(s.getSampleId()) && finite
                && (s.getEventTime() == null || shortTime.test(s.getEventTime())) && shortTime.test(s.getIngestTime());
    }

    @Provide
    Arbitrary<Byte> jsonBytes() {
        return Arbitraries.oneOf(Arbitraries.of((byte) '{', (byte) '}', (byte) '[', (byte) ']', (byte) ',', (byte) ':', (byte) '"',
                (byte) '\\', (byte) ' ', (byte) '-', (byte) '+', (byte) '.', (byte) 'e', (byte) '0', (byte) '1', (byte) '9', (byte) 'n',
                (byte) 0, (byte) 0x80), Arbitraries.bytes());
    }

    @Provide
    Arbitrary<String> numbers() {
        Arbitrary<String> digits = Arbitraries.strings().withCharRange('0', '9').ofMinLength(1).ofMaxLength(25);
        Arbitrary<String> built = Combinators.combine(Arbitraries.of("", "-"), digits, Arbitraries.of("", ".").flatMap(
                dot -> dot.isEmpty() ? Arbitraries.just("") : digits.map(d -> "." + d)),
                Arbitraries.of("", "e", "E", "e-", "e+").flatMap(e -> e.isEmpty() ? Arbitraries.just("")
                        : Arbitraries.integers().between(0, 400).map(x -> e + x)))
                .as((sign, whole, frac, exp) -> sign + whole + frac + exp);
        Arbitrary<String> floats = Arbitraries.floats().map(f -> Float.toString(f));
        Arbitrary<String> doubles = Arbitraries.doubles().map(d -> String.format(Locale.ROOT, "%.17g", d).trim());
        return Arbitraries.oneOf(built, floats, doubles, Arbitraries.doubles().map(Object::toString));
    }

    @Provide
    Arbitrary<Sample> samples() {
        Arbitrary<String> text = Arbitraries.oneOf(Arbitraries.strings().ascii().ofMaxLength(12),
                Arbitraries.strings().alpha().numeric().ofMaxLength(12));
        Arbitrary<float[]> floats = Arbitraries.floats().list().ofMaxSize(30).map(list -> {
            float[] out = new float[list.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = list.get(i);
            }
            return out;
        });
        return Builders.withBuilder(Sample::newBuilder)
                .use(text).in(Sample.Builder::setStream)
                .use(text.injectNull(0.3)).in(Sample.Builder::setTask)
                .use(floats.injectNull(0.3)).in((b, f) -> b.setFeatures(f == null ? null : Features.of(f)))
                .use(text.injectNull(0.5)).in(Sample.Builder::setText)
                .use(Arbitraries.integers().injectNull(0.3)).in(Sample.Builder::setLabel)
                .use(Arbitraries.of(Split.class).injectNull(0.3)).in(Sample.Builder::setSplit)
                .use(text).in(Sample.Builder::setSampleId)
                .use(Arbitraries.longs().injectNull(0.3)).in(Sample.Builder::setEventTime)
                .use(Arbitraries.longs()).in(Sample.Builder::setIngestTime)
                .build(Sample.Builder::build);
    }
}
