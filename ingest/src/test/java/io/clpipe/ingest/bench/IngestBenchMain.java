package io.clpipe.ingest.bench;

/**
 * Runs {@link IngestBenchmark} from the test classpath until {@code clpipe bench pipeline} is wired:
 * {@code [records [repeats]]}, defaults from {@link IngestBenchConfig#defaults()}.
 */
public final class IngestBenchMain {

    private IngestBenchMain() {
    }

    public static void main(String[] args) {
        IngestBenchConfig config = IngestBenchConfig.defaults();
        if (args.length > 0) {
            config = config.withRecords(Integer.parseInt(args[0]));
        }
        if (args.length > 1) {
            config = config.withRepeats(Integer.parseInt(args[1]));
        }
        new IngestBenchmark(config).run(System.out);
    }
}
