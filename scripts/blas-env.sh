# Sourced by ./clpipe, .ci/run and the Surefire JVM wrapper: BLAS/OpenMP settings measured on
# 2-core machines (docs/benchmarks.md). Never overrides a value the environment already sets.
if [ -z "${OPENBLAS_CORETYPE:-}" ] && [ -r /proc/cpuinfo ]; then
  # OpenBLAS 0.3.19 misdetects recent cores as "Prescott" and runs sgemm 2.5-4x slow.
  if grep -qw avx512f /proc/cpuinfo; then export OPENBLAS_CORETYPE=SkylakeX
  elif grep -qw avx2 /proc/cpuinfo; then export OPENBLAS_CORETYPE=Haswell
  fi
fi
# Two OpenMP threads on two vCPUs give multi-ms p99 spikes on small ND4J ops.
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
