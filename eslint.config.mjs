// ESLint flat config: typescript-eslint's type-aware rules everywhere, React hook rules in the
// renderer, and Node or browser globals per side (the same split as the per-side tsconfig files).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'release/',
      'test-artifacts/',
      '.tmp/',
      'assets/',
      // Generated from model_config.proto by scripts/gen-model-config-schema.ts; checked by a test instead.
      'shared/triton/modelConfigSchema.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // These .mjs files are typed by their .d.mts for importers, so no tsconfig program holds the .mjs itself.
        projectService: {
          allowDefaultProject: [
            'scripts/build-electron.mjs',
            'scripts/lib/rendererBuild.mjs',
            'scripts/lib/testHistory.mjs',
            'scripts/lib/laneQueue.mjs',
            'scripts/lib/laneEvents.mjs',
            'bin/cliBundle.mjs',
            'bin/inputsHash.mjs',
            'scripts/build-cli.mjs',
          ],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // node:test's test()/describe() return promises that the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite'] },
          ],
        },
      ],
      // The pbtxt parser throws its own light-weight failure objects (no stack capture) as control
      // flow inside the parser; they are caught and turned into diagnostics before leaving it.
      '@typescript-eslint/only-throw-error': [
        'error',
        {
          allow: [
            { from: 'file', name: 'SyntaxFailure', path: 'shared/pbtxt/cst.ts' },
            { from: 'file', name: 'ValueError', path: 'shared/pbtxt/values.ts' },
          ],
        },
      ],
      // Async event handlers (emitter callbacks, menu clicks, JSX on*) are ours and catch their own errors;
      // returning a promise where void is expected is the point of them. Conditionals and spreads
      // of promises stay errors, and no-floating-promises still checks every call inside.
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { arguments: false, attributes: false, properties: false } },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: globals.node },
  },
  {
    files: ['electron/**', 'scripts/**', 'bin/**', 'bench/**', 'test/**'],
    languageOptions: { globals: globals.node },
  },
  {
    // Tests read JSON fixtures and protocol messages whose shape the assertions check: `any` is the honest type there.
    files: ['test/**', 'bench/**'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // Test doubles implement async interfaces without awaiting, pass methods of stubs around,
      // reject with protocol objects and print arrays in messages.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/prefer-promise-reject-errors': 'off',
      '@typescript-eslint/restrict-template-expressions': 'off',
    },
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    // The classic hook rules. The plugin's React Compiler rules (purity, refs, set-state-in-effect, …)
    // describe code written for the compiler, which this renderer does not use.
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      // Store actions and callback props are closures (zustand's create() builds them as arrows)
      // typed with method syntax; none of them uses `this`.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
