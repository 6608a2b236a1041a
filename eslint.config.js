// ESLint flat config: typescript-eslint's strictest type-checked rule sets, on everything
// TypeScript in the repository.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'site/',
      'coverage/',
      // The example charms are projects of their own (their own tsconfig and node_modules),
      // checked by their own `npm test` and by the root `tsc`.
      'examples/webapp/',
      'examples/nginx-k8s/',
      'node_modules/',
      '.readme-check/',
      '.node-test-*/',
    ],
  },
  tseslint.configs.strictTypeChecked,
  tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['eslint.config.js', '.ci/*.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Template literals with numbers are clear enough where they are used.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // context() rethrows the very value its body threw, whatever it is.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['spec/**/*.ts'],
    rules: {
      // chai's property assertions (`expect(x).to.be.true`) read as expressions.
      '@typescript-eslint/no-unused-expressions': 'off',
      // Specs call the API with wrong types on purpose, and await what may be sync.
      '@typescript-eslint/no-unnecessary-condition': 'off',
      '@typescript-eslint/await-thenable': 'off',
      // Specs pass look-alikes and throw non-Errors on purpose, to see them refused or handled.
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
      '@typescript-eslint/only-throw-error': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
