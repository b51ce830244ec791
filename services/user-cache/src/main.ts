// runServiceMain starts telemetry before anything it instruments is imported, hence the
// dynamic imports: the env and the server load only once it runs.
import { runServiceMain } from '@mesh/kit/main';

await runServiceMain({
  service: 'user-cache',
  readEnv: async () => (await import('./env.js')).readEnv(),
  build: async (env) => (await import('./server.js')).buildUserCacheService(env),
});
