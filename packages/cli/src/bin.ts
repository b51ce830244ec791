import { runCli } from './run-cli.js';

const code = await runCli(process.argv.slice(2));
process.exitCode = code;
// A handle left open somewhere must not keep a finished command alive; unref'd, this timer
// does not keep it alive either.
setTimeout(() => process.exit(code), 2000).unref();
