// ESLint: typescript-eslint's strict, type-checked rules over src/, the tests and the scripts.
// Formatting is Prettier's (npm run format:check), so no rule here is about layout.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', '__tests__/fixtures/'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname }
    },
    rules: {
      // Numbers in messages (`${ms} ms`, `${count} entries`) are what the messages are for.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }]
    }
  },
  {
    // The scripts and config files are plain JavaScript that tsconfig.json does not include
    // (see the note there), so no type information: parse them without the project service.
    files: ['**/*.mjs', '**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        performance: 'readonly'
      }
    }
  },
  {
    // The test preloads are CommonJS, loaded by node --require before the bundle.
    files: ['**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', process: 'readonly', String: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' }
  }
)
