/** What the mesh service's `/metrics` says it has served so far. */
export interface ServedCounts {
  /** HTTP requests to the tRPC route. */
  requests: number;
  /** Procedure calls, any result. */
  calls: number;
}

const sumOf = (text: string, metric: string, label: string): number =>
  text
    .split('\n')
    .filter((line) => line.startsWith(`${metric}{`) && line.includes(label))
    .reduce((total, line) => total + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);

/** Reads the kit's own counters, so the caller view can say how many calls one HTTP request carried. */
export async function countServed(meshUrl: string): Promise<ServedCounts> {
  const response = await fetch(`${meshUrl}/metrics`);
  if (!response.ok) throw new Error(`GET /metrics answered ${response.status}`);
  const text = await response.text();
  return {
    requests: sumOf(text, 'mesh_http_request_duration_seconds_count', 'route="/trpc/:path"'),
    calls: sumOf(text, 'mesh_procedure_calls_total', 'procedure="ping"'),
  };
}
