import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    environment: 'node',
    include: ['__tests__/**/*.test.ts'],
    // Most tests run the action in this process against an emulator on
    // loopback and spend their time waiting on sockets, so a file a worker
    // is enough; one worker per core of the 2-core machines CI runs on.
    // Each worker is a process running its files one after another: an
    // in-process run sets process.env and captures stdout, which threads
    // running files at once would share.
    pool: 'forks',
    maxWorkers: 2,
    // A worker keeps its modules from file to file: starting one per file
    // cost ~0.3 s each, a quarter of the suite on a 2-core machine. Nothing
    // is mocked, an in-process run restores the environment, stdout and the
    // clock it changed, and refuses to start while another is still going
    // (run-action.ts); the emulators' virtual clock only moves forward.
    isolate: false,
    // Bundle tests start child processes; give them room under load.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/vitest.json' }
  }
})
