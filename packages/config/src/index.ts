export { EnvError, emptyAsUndefined, parseEnv } from './parse-env.js';
export { redactSecrets } from './redact-secrets.js';
