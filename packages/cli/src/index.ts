export { type Command, commands } from './commands.js';
export { type CliEnv, readCliEnv } from './env.js';
export { CliError, type CliErrorCode, cliErrors, isCliError } from './errors.js';
export { runCli } from './run-cli.js';
export { meshServices, type ServiceSpec } from './services.js';
export type { Migrate } from './up/migrate-services.js';
export { type RunningMesh, type UpOptions, up } from './up/up.js';
