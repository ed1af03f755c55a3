// One lint configuration for every project; `nx run-many -t lint` runs it per project.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/__fixtures__/**',
      '**/.examples/**',
      '**/.packed/**',
      '**/coverage/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    settings: {
      'import-x/extensions': ['.ts', '.js', '.mjs'],
      // Resolves `./x.js` to `./x.ts` as tsc does; without it import-x/no-cycle sees no edges at all.
      'import-x/resolver-next': [
        createTypeScriptImportResolver({
          // Absolute: each project's lint runs from its own folder.
          project: ['packages', 'apps', 'tools'].map(
            (dir) => `${import.meta.dirname}/${dir}/*/tsconfig.json`,
          ),
          noWarnOnMultipleProjects: true,
        }),
      ],
    },
    rules: {
      // `typeof import('m')` stays allowed: it types modules loaded on use without a static import.
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      'import-x/no-cycle': 'error',
      'import-x/no-self-import': 'error',
      'import-x/no-duplicates': 'error',
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
        WebAssembly: 'readonly',
      },
    },
  },
  {
    // Non-null assertions are justified where an index is bounded by a loop over shapes checked on entry:
    // numeric kernels over typed arrays (a per-element check would cost time and hide a shape bug behind a
    // default value) and tests (a wrong assumption fails the test).
    files: [
      '**/*.test.ts',
      '**/src/testing/**',
      'packages/rnn-layers/src/ops/**',
      'packages/seq2seq/src/ctc/cpu/**',
      'packages/audio-features/src/spectral/**',
    ],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  prettier,
);
