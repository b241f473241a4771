package io.clpipe.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlTest {

    @Test
    void selectorsFunctionsAggregationsAndLabelListsYieldOnlyMetricNames() {
        assertThat(PromQl.metricNames("clpipe_eval_accuracy{stream=~\"$stream\", task!=\"x y\"}"))
                .containsExactly("clpipe_eval_accuracy");
        assertThat(PromQl.metricNames(
                "sum by (stream) (rate(clpipe_learner_samples_total{stream=~\"$stream\"}[$__rate_interval]))"))
                .containsExactly("clpipe_learner_samples_total");
        assertThat(PromQl.metricNames("sum(rate(a_seconds_sum[5m])) without (instance) / on(job) group_left(task) "
                + "sum(rate(a_seconds_count[1m] offset 5m)) > bool 0.5 and up unless b"))
                .containsExactly("a_seconds_sum", "a_seconds_count", "up", "b");
        assertThat(PromQl.metricNames("max_over_time(clpipe_eval_accuracy[5m]) - clpipe_eval_accuracy > 0.2"))
                .containsExactly("clpipe_eval_accuracy");
        assertThat(PromQl.metricNames("histogram_quantile(0.99, sum by (le) (rate(x_bucket[1m]))) * 1e3"))
                .containsExactly("x_bucket");
        assertThat(PromQl.metricNames("{__name__=\"hidden\"}")).isEmpty();
    }

    @Test
    void grafanaLabelValuesReadsItsMetricNotItsLabel() {
        assertThat(PromQl.metricNames("label_values(clpipe_learner_samples_total, stream)"))
                .containsExactly("clpipe_learner_samples_total");
        assertThat(PromQl.metricNames("label_values(clpipe_eval_acc{job=\"evaluator\"}, stream)"))
                .containsExactly("clpipe_eval_acc");
        assertThat(PromQl.metricNames("label_values(stream)")).isEmpty();
    }
}
