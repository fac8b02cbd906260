import type { ReporterRegistry } from './reporter.ts';
import { consoleReporter } from './reporters/console.ts';
import { htmlReporter } from './reporters/html/html-reporter.ts';
import { jsonReporter } from './reporters/json.ts';
import { junitReporter } from './reporters/junit.ts';
import { markdownReporter } from './reporters/markdown.ts';

/** The built-in reporters, by the name scenarios and `--reporter` use. */
export const builtinReporters: ReporterRegistry = {
  console: consoleReporter,
  json: jsonReporter,
  junit: junitReporter,
  markdown: markdownReporter,
  html: htmlReporter,
};
