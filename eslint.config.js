import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Imports flow one way (see CONVENTIONS.md): sinks never import the pipeline layers or entry points.
const entryPoints = ['**/cli/**', '**/app/**'];
const sinkZone = (from) => ({
  files: [`src/${from}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            group: [...entryPoints, '**/plan/**', '**/exec/**', '**/source/**', '**/spec/**'],
            message: `src/${from} is a sink: it may import only src/core.`,
          },
        ],
      },
    ],
  },
});

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'example-run/**',
      'coverage/**',
      // Written by scripts/generate-validators.mjs; a test checks them against it.
      'src/spec/generated/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  sinkZone('store'),
  sinkZone('registry'),
  sinkZone('serving'),
  sinkZone('git-hosts'),
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['../*/**', '!../core/**'], message: 'src/core imports nothing else.' },
          ],
        },
      ],
    },
  },
  {
    files: [
      'src/cli/**/*.ts',
      '**/*.test.ts',
      'test/**/*.ts',
      'scripts/**',
      'bench/**',
      'examples/**',
    ],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
