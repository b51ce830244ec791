export { badRequestPaths, callError } from './bad-request-paths.js';
export { checkServiceSchema } from './check-service-schema.js';
export { countRows } from './count-rows.js';
export { testEnv } from './env.js';
export { type RunSqlOptions, runSql } from './run-sql.js';
export { type FakeTelegram, startFakeTelegram, type TelegramCall } from './start-fake-telegram.js';
export {
  type ServiceHarness,
  type StartServiceHarnessOptions,
  startServiceHarness,
} from './start-service-harness.js';
export { type StartTestServiceOptions, startTestService, type TestService } from './start-test-service.js';
export { TEST_TOKEN } from './test-token.js';
export { unlinkPrefix } from './unlink-prefix.js';
