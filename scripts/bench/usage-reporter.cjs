// Preloaded into the CLI by the benchmark only (node --require): on exit, writes the
// process's own CPU time and peak RSS where BENCH_USAGE_FILE says. The product
// never reads that variable.
'use strict';
const { writeFileSync } = require('node:fs');

process.on('exit', () => {
  const usage = process.resourceUsage();
  writeFileSync(
    process.env.BENCH_USAGE_FILE,
    JSON.stringify({
      cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6,
      maxRssMb: usage.maxRSS / 1024,
    }),
  );
});
