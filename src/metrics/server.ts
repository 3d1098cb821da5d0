/**
 * The daemon's Prometheus endpoint (contracts.md §2 `metrics_port`): `GET /metrics` on
 * 127.0.0.1:PORT only — never another interface (house rule: loopback only). Off when the port
 * is 0. A port that cannot be bound stops the daemon with exit 2 naming the key.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EXIT } from '../cli/exit-codes.js';
import type { Config } from '../config/types.js';
import { Journal } from '../journal/index.js';
import type { Logger } from '../log/logger.js';
import type { DriveSession } from '../remote/index.js';
import { metricsRegistry } from './registry.js';

export const METRICS_HOST = '127.0.0.1';

export interface MetricsServer {
  /** The port listened on; 0 when off. */
  port: number;
  close(): Promise<void>;
}

const OFF: MetricsServer = { port: 0, close: async () => {} };

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: METRICS_HOST, port, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * Starts the endpoint when `metrics_port` is set. On failure, prints the reason naming the key and
 * closes the engine (journal and session), and returns the exit code.
 */
export async function serveMetrics(
  config: Config,
  engine: { journal: Journal; session: DriveSession },
  log: Logger,
): Promise<MetricsServer | { exit: number }> {
  const port = config.process.metricsPort;
  if (port === 0) return OFF;
  // A connection of its own, read-only like `status`: the daemon's writer is left alone.
  let reader: Journal | null = null;
  const journal = (): Journal | null => (reader ??= Journal.openReadOnly(config.stateDir));
  const { scrape } = metricsRegistry(config, journal, engine.session);
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found: GET /metrics\n');
      return;
    }
    scrape().then(
      (text) => res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' }).end(text),
      (err: unknown) => {
        log.warn({ err }, 'metrics: the scrape failed');
        res.writeHead(500, { 'Content-Type': 'text/plain' }).end('the scrape failed; see the log\n');
      },
    );
  });
  try {
    await listen(server, port);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    console.error(`error: metrics_port ${port}: cannot listen on ${METRICS_HOST}:${port} (${code})`);
    engine.session.close();
    engine.journal.close();
    return { exit: EXIT.USAGE };
  }
  const bound = (server.address() as AddressInfo).port;
  log.info({ url: `http://${METRICS_HOST}:${bound}/metrics` }, 'metrics endpoint listening');
  return {
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        reader?.close();
        reader = null;
      }),
  };
}
