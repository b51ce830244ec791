export { EnvError, emptyAsUndefined, parseEnv } from './parse-env.js';
