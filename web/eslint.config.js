// The JavaScript held to a linter as the Python is to ruff and mypy: `make lint` and the pre-commit hook run
// this config (from the repository's root) over the app's static modules and the browser tests' driver.
// ESLint's recommended rules and those that catch a bug rather than a style: == that coerces, a shadowed or
// unused name, a promise or callback that loses its value, a loop that cannot end, eval in any form.
"use strict";

const js = require("@eslint/js");
const globals = require("globals");

module.exports = [
  js.configs.recommended,
  {
    files: ["lineage/api/static/**/*.js"],
    languageOptions: {
      sourceType: "module",
      globals: {
        ...globals.browser,
        // the libraries explore.html and playground.html load before their modules (web/package.json's "served")
        cytoscape: "readonly",
        d3: "readonly",
        GraphiQL: "readonly",
        React: "readonly",
        ReactDOM: "readonly",
      },
    },
  },
  {
    // one import style: a shared module by the address the app serves it at, from any page's folder and from
    // the shared ones; a page's own modules by their place beside the importer (./details.js)
    files: ["lineage/api/static/**/*.js"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ regex: "^\\.{1,2}/(.*/)?shared/", message: "import a shared module as /static/shared/NAME.js" }] },
      ],
    },
  },
  {
    files: ["lineage/api/static/shared/*.js"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ regex: "^\\.", message: "import a shared module as /static/shared/NAME.js" }] },
      ],
    },
  },
  {
    files: ["tests/browser/driver.js", "web/eslint.config.js"],
    languageOptions: { sourceType: "commonjs", globals: globals.node },
  },
  {
    // the driver's page.evaluate functions run in the page
    files: ["tests/browser/driver.js"],
    languageOptions: { globals: { document: "readonly", window: "readonly" } },
  },
  {
    rules: {
      "array-callback-return": "error",
      "consistent-return": "error",
      eqeqeq: "error",
      "no-eval": "error",
      "no-implicit-globals": "error",
      "no-implied-eval": "error",
      "no-loop-func": "error",
      "no-new-func": "error",
      "no-promise-executor-return": "error",
      "no-self-compare": "error",
      "no-shadow": "error",
      "no-template-curly-in-string": "error",
      "no-throw-literal": "error",
      "no-unmodified-loop-condition": "error",
      "no-unreachable-loop": "error",
      "no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "no-use-before-define": ["error", { functions: false }],
      "no-var": "error",
      "prefer-const": "error",
      radix: "error",
    },
  },
];
