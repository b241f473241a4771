package io.clpipe.bench.learner;

/**
 * Runs {@link PipelineBenchmark} from the test classpath until {@code clpipe bench pipeline} is wired:
 * {@code [samples [repeats]]}, defaults from {@link PipelineBenchConfig#defaults()}.
 */
public final class PipelineBenchMain {

    private PipelineBenchMain() {
    }

    public static void main(String[] args) {
        PipelineBenchConfig config = PipelineBenchConfig.defaults();
        if (args.length > 0) {
            config = config.withSamples(Integer.parseInt(args[0]));
        }
        if (args.length > 1) {
            config = config.withRepeats(Integer.parseInt(args[1]));
        }
        new PipelineBenchmark(config).run(System.out);
    }
}
