import js from '@eslint/js'
import vitest from '@vitest/eslint-plugin'
import prettier from 'eslint-config-prettier'
import tseslint from 'typescript-eslint'

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
