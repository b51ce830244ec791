// A dashboard page on the SDK's browser build: the page's own fetch and WebSocket, no Node module.
import { createMeshClient } from '@mesh/sdk';

interface DashboardConfig {
  token: string;
  analyticsUrl: string;
}

declare global {
  interface Window {
    /** Set by the page's host before this script runs. */
    meshDashboard: DashboardConfig;
  }
}

type Metrics = Awaited<
  ReturnType<ReturnType<typeof createMeshClient>['analytics']['dashboardMetrics']['query']>
>;

function show(metrics: Metrics): void {
  for (const [name, value] of Object.entries(metrics)) {
    const cell = document.querySelector(`[data-metric="${name}"]`);
    if (cell) cell.textContent = String(value);
  }
}

const { token, analyticsUrl } = window.meshDashboard;
const mesh = createMeshClient({ token, urls: { analytics: analyticsUrl } });

try {
  show(await mesh.analytics.dashboardMetrics.query());
  document.body.dataset.state = 'loaded';
} catch (error) {
  document.body.dataset.error = String(error);
}

let updates = 0;
mesh.analytics.onDashboard.subscribe(undefined, {
  onData: (metrics) => {
    show(metrics);
    updates += 1;
    document.body.dataset.updates = String(updates);
  },
  onError: (error) => {
    document.body.dataset.error = String(error);
  },
});
