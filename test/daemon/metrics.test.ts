/**
 * The daemon's Prometheus endpoint and the per-file pending figures (issue 12), through the real
 * CLI against the emulator. An upload limit (`bwlimit_up`) makes the sync last a few seconds, so
 * the endpoint and `status` are read while it runs; every wait polls, no timing thresholds.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { test } from 'node:test';
import parsePrometheusTextFormat, { type PromFamily } from 'parse-prometheus-text-format';
import { setupPair, sha } from '../e2e/harness.js';
import { running, waitUntil } from './helpers.js';

const MiB = 1024 * 1024;

type Scrape = Map<string, PromFamily>;

/** A TCP port nobody listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function scrape(port: number): Promise<Scrape> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
  return new Map(parsePrometheusTextFormat(await res.text()).map((f) => [f.name, f]));
}

/** The value of the sample of `name` whose labels include `labels`; undefined when absent. */
function value(s: Scrape, name: string, labels: Record<string, string> = {}): number | undefined {
  const sample = s
    .get(name)
    ?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  return sample?.value === undefined ? undefined : Number(sample.value);
}

/** Every listening TCP socket on `port`, as "address" strings from /proc/net/tcp and tcp6. */
function listeners(port: number): string[] {
  const out: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const [, local, , st] = line.trim().split(/\s+/);
      if (!local || st !== '0A') continue;
      const [addr, hexPort] = local.split(':') as [string, string];
      if (parseInt(hexPort, 16) !== port) continue;
      out.push(
        addr.length === 8
          ? (addr.match(/../g) ?? [])
              .reverse()
              .map((b) => parseInt(b, 16))
              .join('.')
          : `ipv6:${addr}`,
      );
    }
  }
  return out;
}

function refused(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });
}

async function statusJson(p: Awaited<ReturnType<typeof setupPair>>): Promise<{
  pairs: {
    name: string;
    pending: { uploads: { count: number; bytes: number } };
    counters: Record<string, unknown> | null;
  }[];
}> {
  const r = await p.cli(['status', '--config', p.configFile, '--json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as Awaited<ReturnType<typeof statusJson>>;
}

test('the metrics endpoint on 127.0.0.1 only shows a running sync; status shows pending work per finished file', async (t) => {
  const port = await freePort();
  const p = await setupPair(t, {
    sync: `remote_poll_seconds = 1\nlocal_quiet_ms = 200\nbwlimit_up = "1M"\nmetrics_port = ${port}`,
    firstSync: true,
  });
  const d = await running(t, p);

  assert.deepEqual(listeners(port), ['127.0.0.1'], 'one listening socket, on 127.0.0.1');
  assert.ok(await refused('127.0.0.2', port), 'another loopback address is refused');
  const idle = await scrape(port);
  assert.equal(value(idle, 'lineworks_sync_pending_items', { pair: 'docs', direction: 'upload' }), 0);
  assert.ok((value(idle, 'process_resident_memory_bytes') ?? 0) > 0, 'process RSS');

  // Three files of different sizes share the 1 MiB/s: they finish one after the other.
  const files = {
    'small.bin': randomBytes(256 * 1024),
    'mid.bin': randomBytes(2 * MiB),
    'big.bin': randomBytes(4 * MiB),
  };
  for (const [name, bytes] of Object.entries(files)) p.write(name, bytes);
  const total = Object.values(files).reduce((n, b) => n + b.length, 0);

  let during: Scrape | null = null;
  await waitUntil(
    async () => {
      const s = await scrape(port);
      const sent = value(s, 'lineworks_sync_transferred_bytes_total', { pair: 'docs', direction: 'up' }) ?? 0;
      const pending = value(s, 'lineworks_sync_pending_items', { pair: 'docs', direction: 'upload' }) ?? 0;
      if (sent > 0 && sent < total && pending > 0) during = s;
      return during !== null;
    },
    'a scrape while the uploads run',
    d,
  );
  const s = during as unknown as Scrape;
  for (const [name, type] of [
    ['lineworks_sync_items_tracked', 'GAUGE'],
    ['lineworks_sync_pending_items', 'GAUGE'],
    ['lineworks_sync_pending_bytes', 'GAUGE'],
    ['lineworks_sync_conflicts', 'GAUGE'],
    ['lineworks_sync_failing_items', 'GAUGE'],
    ['lineworks_sync_queue_depth', 'GAUGE'],
    ['lineworks_sync_last_sync_timestamp_seconds', 'GAUGE'],
    ['lineworks_sync_last_remote_cycle_timestamp_seconds', 'GAUGE'],
    ['lineworks_sync_transferred_bytes_total', 'COUNTER'],
    ['lineworks_sync_transfers_total', 'COUNTER'],
    ['lineworks_sync_retries_total', 'COUNTER'],
    ['lineworks_sync_rate_limited_total', 'COUNTER'],
    ['lineworks_sync_api_calls_total', 'COUNTER'],
    ['process_resident_memory_bytes', 'GAUGE'],
  ] as const)
    assert.equal(s.get(name)?.type, type, `${name} is a ${type}`);
  assert.ok((value(s, 'lineworks_sync_pending_bytes', { pair: 'docs', direction: 'upload' }) ?? 0) > 0);
  assert.equal(value(s, 'lineworks_sync_failing_items', { pair: 'docs' }), 0);
  assert.equal(value(s, 'lineworks_sync_conflicts', { pair: 'docs' }), 0);
  assert.ok(
    (value(s, 'lineworks_sync_api_calls_total', { pair: 'docs', operation: 'upload-url' }) ?? 0) >= 1,
  );
  assert.ok((value(s, 'lineworks_sync_last_sync_timestamp_seconds', { pair: 'docs' }) ?? 0) > 0);

  // `status` in another process: the pending uploads go down as each file finishes.
  const seen = new Set<number>();
  await waitUntil(
    async () => {
      seen.add((await statusJson(p)).pairs[0]!.pending.uploads.count);
      return (await p.tree()).get('big.bin')?.sha256 === sha(files['big.bin']);
    },
    'every file on the Drive',
    d,
  );
  assert.ok(
    [1, 2].some((n) => seen.has(n)),
    `status showed the pending uploads shrink file by file, saw counts ${[...seen].join(', ')}`,
  );
  for (const [name, bytes] of Object.entries(files))
    assert.equal((await p.tree()).get(name)?.sha256, sha(bytes));

  let after: Scrape | null = null;
  await waitUntil(
    async () => {
      after = await scrape(port);
      return (
        value(after, 'lineworks_sync_transfers_total', { pair: 'docs', direction: 'up' }) === 3 &&
        (value(after, 'lineworks_sync_last_remote_cycle_timestamp_seconds', { pair: 'docs' }) ?? 0) > 0
      );
    },
    'three uploads counted and a complete remote poll cycle',
    d,
  );
  const done = after as unknown as Scrape;
  assert.equal(value(done, 'lineworks_sync_pending_items', { pair: 'docs', direction: 'upload' }), 0);
  const bytesUp = value(done, 'lineworks_sync_transferred_bytes_total', { pair: 'docs', direction: 'up' });
  assert.equal(bytesUp, total);

  assert.equal((await d.stop()).code, 0, d.output());
  // The same counters, kept in the journal, under `counters` in status --json.
  const counters = (await statusJson(p)).pairs[0]!.counters;
  assert.ok(counters, 'status --json has the counters');
  assert.equal(counters.bytesUp, total);
  assert.equal(counters.transfersUp, 3);
  assert.equal(
    (counters.apiCalls as Record<string, number>)['upload'],
    value(done, 'lineworks_sync_api_calls_total', { pair: 'docs', operation: 'upload' }),
  );
});

test('a metrics_port that cannot be bound stops the daemon with exit 2 naming the key', async (t) => {
  const busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  t.after(() => busy.close());
  const port = (busy.address() as AddressInfo).port;
  const p = await setupPair(t, { sync: `metrics_port = ${port}`, firstSync: true });
  const r = await p.cli(['--config', p.configFile]);
  assert.equal(r.code, 2, `${r.stdout}\n${r.stderr}`);
  assert.match(
    r.stderr,
    new RegExp(`metrics_port ${port}: cannot listen on 127\\.0\\.0\\.1:${port} \\(EADDRINUSE\\)`),
  );
});
