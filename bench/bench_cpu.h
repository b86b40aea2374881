/* The CPU model for the header line of the C benchmarks (bench/load, bench/gemm): "model name" of
   /proc/cpuinfo, or "unknown CPU". (bench/benchinfo.py prints the same for the Python ones.) */
#ifndef MTL_BENCH_CPU_H
#define MTL_BENCH_CPU_H
#include <stdio.h>
#include <string.h>
static void bench_cpu_model(char *buf, size_t cap) {
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[512];
    snprintf(buf, cap, "unknown CPU");
    if (!f) return;
    while (fgets(line, sizeof line, f)) {
        char *c = strchr(line, ':');
        if (!strncmp(line, "model name", 10) && c) { snprintf(buf, cap, "%s", c + 2); buf[strcspn(buf, "\n")] = 0; break; }
    }
    fclose(f);
}
#endif
