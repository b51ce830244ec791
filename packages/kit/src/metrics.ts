import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { counterChild, histogramChild } from './metric-children.js';

export interface ProcedureObservation {
  procedure: string;
  type: string;
  code: string;
  seconds: number;
  dbQueries: number;
}

export interface ServiceMetrics {
  registry: Registry;
  observeProcedure(observation: ProcedureObservation): void;
  observeHttp(route: string, method: string, status: number, seconds: number): void;
  /** Which tRPC HTTP handler served a request: the kit's fast path or the official adapter. */
  observeTrpcHandler(handler: 'fast' | 'adapter'): void;
}

/** One Prometheus registry per service instance (tests run several in one process). */
export function createServiceMetrics(service: string): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });

  const calls = new Counter({
    name: 'mesh_procedure_calls_total',
    help: 'Procedure calls by procedure, type and result code',
    labelNames: ['procedure', 'type', 'code'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'mesh_procedure_duration_seconds',
    help: 'Procedure latency in seconds',
    labelNames: ['procedure', 'type'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const queries = new Histogram({
    name: 'mesh_procedure_db_queries',
    help: 'Database round trips per procedure call',
    labelNames: ['procedure'] as const,
    buckets: [0, 1, 2, 3, 5, 10, 25, 50, 100],
    registers: [registry],
  });
  const http = new Histogram({
    name: 'mesh_http_request_duration_seconds',
    help: 'HTTP request latency in seconds by route, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [registry],
  });

  const handlers = new Counter({
    name: 'mesh_trpc_http_requests_total',
    help: 'tRPC HTTP requests by the handler that served them (fast path or official adapter)',
    labelNames: ['handler'] as const,
    registers: [registry],
  });

  // prom-client hashes a label set on every update, bound children included; these are bound
  // once per label set and update their series in place (see metric-children.ts).
  type Bound = { count(): void; time(seconds: number): void; queries(count: number): void };
  // By procedure, then type, then code: three small map lookups, no key string made per call.
  const bound = new Map<string, Map<string, Map<string, Bound>>>();
  const bind = (procedure: string, type: string, code: string): Bound => {
    let byType = bound.get(procedure);
    if (!byType) {
      byType = new Map();
      bound.set(procedure, byType);
    }
    let byCode = byType.get(type);
    if (!byCode) {
      byCode = new Map();
      byType.set(type, byCode);
    }
    let children = byCode.get(code);
    if (!children) {
      children = {
        count: counterChild(calls, { procedure, type, code }),
        time: histogramChild(latency, { procedure, type }),
        queries: histogramChild(queries, { procedure }),
      };
      byCode.set(code, children);
    }
    return children;
  };
  const httpChildren = new Map<string, (seconds: number) => void>();
  const httpChild = (route: string, method: string, status: number) => {
    const key = `${route}\0${method}\0${status}`;
    let child = httpChildren.get(key);
    if (!child) {
      child = histogramChild(http, { route, method, status: String(status) });
      httpChildren.set(key, child);
    }
    return child;
  };
  const handlerChildren = {
    fast: counterChild(handlers, { handler: 'fast' }),
    adapter: counterChild(handlers, { handler: 'adapter' }),
  };

  return {
    registry,
    observeTrpcHandler(handler) {
      handlerChildren[handler]();
    },
    observeProcedure({ procedure, type, code, seconds, dbQueries }) {
      const children = bind(procedure, type, code);
      children.count();
      children.time(seconds);
      children.queries(dbQueries);
    },
    observeHttp(route, method, status, seconds) {
      httpChild(route, method, status)(seconds);
    },
  };
}

/** For the cost bench: the same registry, with nothing observed per call or request. */
export function silentMetrics({ registry }: ServiceMetrics): ServiceMetrics {
  const nothing = () => {};
  return { registry, observeProcedure: nothing, observeHttp: nothing, observeTrpcHandler: nothing };
}
