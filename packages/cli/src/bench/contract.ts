// What a benchmark suite elsewhere in the repo needs from the runner: the shape of a case
// it returns, and the runner's median (so a suite's own notes agree with the report).
export { median } from './median.js';
export type { Suite, SuiteCase, SuiteResult, SuiteRunOptions } from './suite.js';
