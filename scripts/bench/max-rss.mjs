// Loaded with `node --import` by the benchmark: writes the process's peak
// resident set size (KiB) to BENCH_MAX_RSS_FILE when it exits.
/* global process */
import { writeFileSync } from 'node:fs'

process.on('exit', () => {
  writeFileSync(
    process.env.BENCH_MAX_RSS_FILE,
    String(process.resourceUsage().maxRSS)
  )
})
