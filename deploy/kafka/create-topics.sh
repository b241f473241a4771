#!/bin/sh
# Creates clpipe's topics with the settings of io.clpipe.schemas.Topics.specs() (DeployConfigIT runs
# this script and compares what it asks for with specs()). Idempotent: existing topics are left alone.
#   BOOTSTRAP            broker to talk to (default kafka:9092)
#   CLPIPE_TOPIC_PREFIX  topic name prefix (default clpipe.)
#   CLPIPE_PARTITIONS    partitions of samples, train and eval, which must stay equal (default 1)
#   CLPIPE_MODELS_PARTITIONS  partitions of models and metrics: how many evaluators can share the
#                        work (default 1; more evaluators than partitions are hot standbys)
#   CLPIPE_REQUESTS_PARTITIONS  partitions of requests and predictions: how many `clpipe serve`
#                        instances share the scoring (default 1)
#   COMMAND_CONFIG       client properties for a secured cluster (kafka-topics --command-config)
#   KAFKA_TOPICS         the kafka-topics tool (default: the apache/kafka image's)
set -eu
BOOTSTRAP="${BOOTSTRAP:-kafka:9092}"
PREFIX="${CLPIPE_TOPIC_PREFIX:-clpipe.}"
PARTITIONS="${CLPIPE_PARTITIONS:-1}"
MODELS_PARTITIONS="${CLPIPE_MODELS_PARTITIONS:-1}"
REQUESTS_PARTITIONS="${CLPIPE_REQUESTS_PARTITIONS:-1}"
KAFKA_TOPICS="${KAFKA_TOPICS:-/opt/kafka/bin/kafka-topics.sh}"

# create NAME PARTITIONS [topic-config=value ...]
create() {
  topic="$PREFIX$1"
  partitions="$2"
  shift 2
  for config in "$@"; do
    set -- "$@" --config "$config"
    shift
  done
  "$KAFKA_TOPICS" --bootstrap-server "$BOOTSTRAP" ${COMMAND_CONFIG:+--command-config "$COMMAND_CONFIG"} --create --if-not-exists --topic "$topic" --partitions "$partitions" "$@"
}

create samples "$PARTITIONS"
create train "$PARTITIONS"
create eval "$PARTITIONS"
# Retention: dlq and metrics 30 days, models 1 day, control forever.
create dlq 1 retention.ms=2592000000
create control 1 retention.ms=-1
# Snapshots of ~1-2 MB each: 16 MiB records, bounded by size, small segments so deletion keeps up.
create models "$MODELS_PARTITIONS" max.message.bytes=16777216 retention.bytes=2147483648 retention.ms=86400000 segment.bytes=134217728
create metrics "$MODELS_PARTITIONS" retention.ms=2592000000
# Checkpoints (checkpoint.store=kafka): compacted; the learner cuts them into records of at most 512 KiB.
create checkpoints 1 cleanup.policy=compact
# Scoring requests and predictions (clpipe serve): 7 days.
create requests "$REQUESTS_PARTITIONS" retention.ms=604800000
create predictions "$REQUESTS_PARTITIONS" retention.ms=604800000
# Spread scoring (evaluator scoring=spread, clpipe scorer): score requests placed by (stream, version) over 24
# partitions so consecutive versions reach different scorers, and the scorers' replies; 1 day.
create score-requests 24 retention.ms=86400000
create scores 1 retention.ms=86400000
"$KAFKA_TOPICS" --bootstrap-server "$BOOTSTRAP" ${COMMAND_CONFIG:+--command-config "$COMMAND_CONFIG"} --describe --topic "${PREFIX}models"
