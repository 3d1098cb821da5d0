/**
 * The Prometheus metrics of a running daemon (issue 12 "Metrics"; README "Monitoring"), built with
 * prom-client. Nothing is counted twice: at every scrape the gauges are read from the journal
 * (what `status` reports) and the counters from the Drive session (src/remote/counters.ts), so the
 * figures are those of `status --json` at that moment. Process figures (RSS, CPU, heap, …) are
 * prom-client's default metrics.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Config } from '../config/types.js';
import type { Journal } from '../journal/index.js';
import type { CountersSnapshot, DriveSession } from '../remote/index.js';
import { buildReport, type StatusReport } from '../engine/status.js';

export const PREFIX = 'lineworks_sync_';

interface Scrape {
  report: StatusReport;
  counters: CountersSnapshot;
  queue: Map<string, number>;
}

type Labels = Record<string, string>;
type Sample = [Labels, number];

/** The registry, and `scrape()`: reads the figures of this moment and renders the exposition text. */
export function metricsRegistry(
  config: Config,
  journal: () => Journal | null,
  session: DriveSession,
): {
  registry: Registry;
  scrape: () => Promise<string>;
} {
  const registry = new Registry();
  let now: Scrape | null = null;

  const gauge = (name: string, help: string, labelNames: string[], values: (s: Scrape) => Sample[]): void => {
    new Gauge({
      name: PREFIX + name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        if (now) for (const [labels, v] of values(now)) this.set(labels, v);
      },
    });
  };
  const counter = (
    name: string,
    help: string,
    labelNames: string[],
    values: (s: Scrape) => Sample[],
  ): void => {
    new Counter({
      name: PREFIX + name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        if (now) for (const [labels, v] of values(now)) this.inc(labels, v);
      },
    });
  };
  const perPair = (s: Scrape, f: (p: StatusReport['pairs'][number]) => number | null): Sample[] =>
    s.report.pairs.flatMap((p) => {
      const v = f(p);
      return v === null ? [] : [[{ pair: p.name }, v] as Sample];
    });
  const bothWays = (
    s: Scrape,
    f: (p: StatusReport['pairs'][number], d: 'upload' | 'download') => number,
  ): Sample[] =>
    s.report.pairs.flatMap((p) =>
      (['upload', 'download'] as const).map((d) => [{ pair: p.name, direction: d }, f(p, d)] as Sample),
    );
  const pairCounters = (s: Scrape, pair: string) => s.counters.pairs[pair];
  const names = (s: Scrape): string[] => s.report.pairs.map((p) => p.name);

  gauge('items_tracked', 'Items (files and folders) in the journal, per pair', ['pair'], (s) =>
    perPair(s, (p) => p.tracked),
  );
  gauge(
    'pending_items',
    'Transfers planned and not done yet, per pair and direction',
    ['pair', 'direction'],
    (s) => bothWays(s, (p, d) => (d === 'upload' ? p.pending.uploads.count : p.pending.downloads.count)),
  );
  gauge(
    'pending_bytes',
    'Bytes of the transfers not done yet, per pair and direction',
    ['pair', 'direction'],
    (s) => bothWays(s, (p, d) => (d === 'upload' ? p.pending.uploads.bytes : p.pending.downloads.bytes)),
  );
  gauge('conflicts', 'Conflicted copies not resolved yet, per pair', ['pair'], (s) =>
    perPair(s, (p) => p.conflicts.length),
  );
  gauge(
    'failing_items',
    'Items whose last attempt failed (retried later or refused), per pair',
    ['pair'],
    (s) => perPair(s, (p) => p.failing.length),
  );
  gauge('queue_depth', 'Drive requests waiting for a rate or connection slot now, per pair', ['pair'], (s) =>
    perPair(s, (p) => s.queue.get(p.name) ?? 0),
  );
  gauge(
    'last_sync_timestamp_seconds',
    'End of the last pass that left nothing failing (Unix time), per pair',
    ['pair'],
    (s) => perPair(s, (p) => (p.lastSyncMs === null ? null : p.lastSyncMs / 1000)),
  );
  gauge(
    'last_remote_cycle_timestamp_seconds',
    "End of the daemon poller's last complete cycle over the pair's remote folders (Unix time)",
    ['pair'],
    (s) => perPair(s, (p) => (p.poller.lastCycle === null ? null : p.poller.lastCycle.endMs / 1000)),
  );
  counter(
    'transferred_bytes_total',
    'Bytes sent (up) and received (down) since start, per pair',
    ['pair', 'direction'],
    (s) =>
      names(s).flatMap((pair) => {
        const c = pairCounters(s, pair);
        return [
          [{ pair, direction: 'up' }, c?.bytesUp ?? 0],
          [{ pair, direction: 'down' }, c?.bytesDown ?? 0],
        ] as Sample[];
      }),
  );
  counter(
    'transfers_total',
    'Uploads (up) and downloads (down) completed since start, per pair',
    ['pair', 'direction'],
    (s) =>
      names(s).flatMap((pair) => {
        const c = pairCounters(s, pair);
        return [
          [{ pair, direction: 'up' }, c?.transfersUp ?? 0],
          [{ pair, direction: 'down' }, c?.transfersDown ?? 0],
        ] as Sample[];
      }),
  );
  counter(
    'retries_total',
    'Drive requests retried since start, per pair and error class',
    ['pair', 'class'],
    (s) =>
      names(s).flatMap((pair) =>
        Object.entries(pairCounters(s, pair)?.retries ?? {}).map(
          ([cls, n]) => [{ pair, class: cls }, n] as Sample,
        ),
      ),
  );
  counter('rate_limited_total', 'HTTP 429 answers from the Drive since start, per pair', ['pair'], (s) =>
    names(s).map((pair) => [{ pair }, pairCounters(s, pair)?.rateLimited ?? 0] as Sample),
  );
  counter(
    'api_calls_total',
    'Drive API requests sent since start, per pair and operation',
    ['pair', 'operation'],
    (s) =>
      names(s).flatMap((pair) =>
        Object.entries(pairCounters(s, pair)?.apiCalls ?? {}).map(
          ([op, n]) => [{ pair, operation: op }, n] as Sample,
        ),
      ),
  );

  // After ours, so that a scrape starts with the sync's own figures.
  collectDefaultMetrics({ register: registry });

  return {
    registry,
    async scrape() {
      const nowMs = Date.now();
      const report = buildReport(config, journal(), nowMs);
      const queue = new Map(report.pairs.map((p) => [p.name, session.queueDepth(p.name)]));
      now = { report, counters: session.counters(), queue };
      return registry.metrics();
    },
  };
}
