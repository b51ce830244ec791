import type { AfterUp } from '../up/up.js';
import { startDemo } from './start-demo.js';

/** The services the demo calls; with any of them missing (a test's fake mesh) there is no demo. */
const DEMO_SERVICES = ['ingestion', 'user-cache', 'analytics', 'bot-control'];

/**
 * `mesh up`'s step once the services are ready: the demo data (once) and, unless `traffic`
 * is false (`--no-traffic`), the light demo traffic, stopped first when the mesh stops;
 * nothing of it starts once Ctrl-C aborted `signal`.
 */
export function demoAfterUp({ traffic }: { traffic: boolean }): AfterUp {
  return async ({ services, token, output, databaseUrl, signal }) => {
    if (!DEMO_SERVICES.every((name) => services.some((service) => service.name === name))) return;
    const demo = await startDemo({ services, databaseUrl, token, output, traffic, signal });
    return demo.stop;
  };
}
