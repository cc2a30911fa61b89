import type { OperationSpec } from '../core/catalog/types.js';

/** A catalog operation matched to a request path. */
export interface RouteMatch {
  op: OperationSpec;
  /** `<model>.<operationId>`. */
  qualified: string;
  /** Decoded path parameter values by name. */
  pathParams: Record<string, string>;
}

type Segment = { kind: 'literal'; text: string } | { kind: 'param'; name: string } | { kind: 'greedy'; name: string };

interface Route {
  op: OperationSpec;
  qualified: string;
  segments: Segment[];
}

// Sort rank: at the first position where two templates differ, a literal beats a parameter, which
// beats a greedy parameter. So /notifications/v1/subscriptions/{type}/testNotification wins over
// /{type}/{subscriptionId}, whatever order the catalog lists them in.
const RANK: Record<Segment['kind'], number> = { literal: 0, param: 1, greedy: 2 };

/** Routes requests to catalog operations by method and path template. */
export class Router {
  private readonly routes: Route[];

  constructor(catalog: readonly OperationSpec[]) {
    this.routes = catalog.map((op) => ({ op, qualified: `${op.model}.${op.operationId}`, segments: compile(op) }));
    this.routes.sort((a, b) => compareSpecificity(a.segments, b.segments));
  }

  /** The most specific operation for this method and raw (still percent-encoded) path, if any. */
  match(method: string, rawPath: string): RouteMatch | undefined {
    const parts = rawPath.split('/').slice(1);
    for (const route of this.routes) {
      if (route.op.method !== method) continue;
      const pathParams = matchSegments(route.segments, parts);
      if (pathParams) return { op: route.op, qualified: route.qualified, pathParams };
    }
    return undefined;
  }
}

function compile(op: OperationSpec): Segment[] {
  const greedy = new Set(op.params.filter((p) => p.in === 'path' && p.greedy).map((p) => p.name));
  return op.path
    .split('/')
    .slice(1)
    .map((text): Segment => {
      const param = /^\{([^{}]+)\}$/.exec(text)?.[1];
      if (param === undefined) return { kind: 'literal', text };
      return greedy.has(param) ? { kind: 'greedy', name: param } : { kind: 'param', name: param };
    });
}

function compareSpecificity(a: Segment[], b: Segment[]): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i += 1) {
    const diff = RANK[(a[i] as Segment).kind] - RANK[(b[i] as Segment).kind];
    if (diff !== 0) return diff;
  }
  return b.length - a.length;
}

function matchSegments(segments: Segment[], parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i += 1) {
    const segment = segments[i] as Segment;
    if (segment.kind === 'greedy') {
      // A greedy value (uploads `{resource}`) may contain `/`; it takes the rest when it is last,
      // else everything up to the literal tail the template still needs.
      const tail = segments.length - i - 1;
      const taken = parts.slice(i, parts.length - tail);
      if (taken.length === 0 || taken.some((part) => part === '')) return undefined;
      const rest = matchSegments(segments.slice(i + 1), parts.slice(parts.length - tail));
      if (!rest) return undefined;
      const value = decode(taken.join('/'));
      if (value === undefined) return undefined;
      return { ...params, [segment.name]: value, ...rest };
    }
    const part = parts[i];
    if (part === undefined) return undefined;
    if (segment.kind === 'literal') {
      if (part !== segment.text) return undefined;
      continue;
    }
    const value = part === '' ? undefined : decode(part);
    if (value === undefined) return undefined;
    params[segment.name] = value;
  }
  return parts.length === segments.length ? params : undefined;
}

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
