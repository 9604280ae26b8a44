import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    environment: 'node',
    include: ['__tests__/**/*.test.ts'],
    // Most tests run the action in this process against an emulator on
    // loopback and spend their time waiting on sockets, so a file a worker
    // is enough; one worker per core of the 2-core machines CI runs on.
    // Test files are processes of their own: an in-process run sets
    // process.env and captures stdout, which threads would share.
    pool: 'forks',
    maxWorkers: 2,
    // A worker runs file after file: starting one per file cost ~0.3 s each,
    // a quarter of the suite on a 2-core machine. Nothing is mocked, and an
    // in-process run already restores what it changes (run-action.ts), so
    // no file leaves state that another could see.
    isolate: false,
    // Bundle tests start child processes; give them room under load.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/vitest.json' }
  }
})
