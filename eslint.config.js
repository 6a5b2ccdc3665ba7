// ESLint flat config. Also enforces the design's import rules: services/ never imports electron/ or
// renderer/, and renderer/ reaches services/ through `import type`, values only from the Node-free
// services/shared/ (its own tsconfig has no Node types, so a stray `fs` fails to compile there too).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bench/results/**', 'test/fixtures/**', 'docs/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['services/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/electron/**', '**/renderer/**', 'electron'],
              message: 'services/ must not import electron/ or renderer/.',
            },
          ],
        },
      ],
    },
  },
  {
    // The ground everything stands on: Node-free (the renderer imports it), imports only itself and zod.
    files: ['services/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^node:', message: 'services/shared/ is Node-free: the renderer imports it.' },
            {
              regex: '^\\.\\./',
              message: 'services/shared/ imports only itself and zod; the rest imports it.',
            },
          ],
        },
      ],
    },
  },
  // The layers (docs/architecture.md): shared/ ← net/ ← core/ ← protocol and feature areas ← api/ ← host.
  // Type-only imports are allowed upward where noted; value imports never.
  {
    files: ['services/core/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex:
                '^\\.\\./(dhcp|tftp|http|syslog|stats|menu|lab|api|builder|library|peerdist|ipxe|desktop)/',
              allowTypeImports: true,
              message: 'core/ is the ground floor: it imports no protocol or feature area (types only).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['services/net/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.\\./(?!shared/)',
              message: 'net/ (sockets, interfaces) imports only services/shared/ (errors, events).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['services/ipxe/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^node:', message: 'services/ipxe/ is pure string building (no Node).' },
            { regex: '^\\.\\./(?!shared/)', message: 'services/ipxe/ imports only services/shared/.' },
          ],
        },
      ],
    },
  },
  {
    files: ['services/{dhcp,tftp,http,syslog,stats,menu,lab,builder,library,peerdist,desktop}/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.\\./(api|host|cli|quick-boot)(/|\\.js$)',
              message:
                'An area does not import the API or the host: they import it (views.ts is what the API shows).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // services/shared/ is Node-free on purpose (MAC rule, firmware names, errors, events): one
              // copy for both sides. Anything else in services/ reaches the renderer as types only.
              regex: '(^|/)services/(?!shared/)',
              allowTypeImports: true,
              message:
                'renderer/ may import values only from services/shared/ (Node-free); types from services/api.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
