package io.clpipe.bench.ingest;

/**
 * Runs {@link IngestBenchmark} from the test classpath until {@code clpipe bench pipeline} is wired:
 * {@code [records [repeats [variant…]]]} (variants: {@code name:key=value,…}, compared side by side), defaults from {@link IngestBenchConfig#defaults()}.
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
        if (args.length > 2) {
            // variants "name:key=value,key=value" compared side by side, e.g. "cur:" "c1000:commit.interval.ms=1000"
            java.util.LinkedHashMap<String, java.util.Properties> variants = new java.util.LinkedHashMap<>();
            for (int i = 2; i < args.length; i++) {
                String[] nameAndSettings = args[i].split(":", 2);
                java.util.Properties p = new java.util.Properties();
                for (String kv : nameAndSettings[1].split(",")) {
                    if (!kv.isBlank()) {
                        p.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
                    }
                }
                variants.put(nameAndSettings[0], p);
            }
            new IngestBenchmark(config).compare(variants, System.out);
            return;
        }
        new IngestBenchmark(config).run(System.out);
    }
}
