import js from '@eslint/js'
import vitest from '@vitest/eslint-plugin'
import prettier from 'eslint-config-prettier'
import tseslint from 'typescript-eslint'

// The functions of @actions/core that print a line or mask a value.
const PRINTING = [
  'info',
  'debug',
  'notice',
  'warning',
  'error',
  'setFailed',
  'startGroup',
  'endGroup',
  'group',
  'setSecret'
]

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', 'reports/', 'node_modules/'] },
  js.configs.recommended,
  tseslint.configs.strict,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['error'] }]
    }
  },
  {
    // Every line the action prints goes through src/log.ts, which keeps
    // strings from API answers from starting a workflow command.
    files: ['src/**/*.ts'],
    ignores: ['src/log.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        ...PRINTING.map((property) => ({
          object: 'core',
          property,
          message: 'Print and mask through src/log.ts'
        }))
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: `ImportDeclaration[source.value='@actions/core'] > ImportSpecifier[imported.name=/^(${PRINTING.join('|')})$/]`,
          message: 'Print and mask through src/log.ts'
        }
      ]
    }
  },
  {
    // Only main and the report touch @actions/core: everything else is
    // handed what it needs (print, mask, the clock), so it runs the same
    // under a test as on a runner.
    files: ['src/**/*.ts'],
    ignores: [
      'src/main.ts',
      'src/report.ts',
      'src/outputs.ts',
      'src/summary.ts',
      'src/log.ts'
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@actions/core',
              message:
                'Only src/main.ts and the report (report.ts, outputs.ts, summary.ts, log.ts) use @actions/core; take what you need as a parameter'
            }
          ]
        }
      ]
    }
  },
  {
    // The emulator, the demo and the benchmark are command-line programs.
    files: ['emulator/**/*.ts', 'scripts/**/*.ts'],
    rules: { 'no-console': 'off' }
  },
  {
    files: ['__tests__/**/*.ts'],
    plugins: { vitest },
    rules: vitest.configs.recommended.rules
  },
  prettier
)
