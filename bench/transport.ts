/**
 * Client CPU per Bot API call (issue 16): the same `sendMessage`-sized JSON POST, answered by a
 * server in another process (so only the client's CPU is counted), sent one after another
 * three ways, in alternating rounds in one run:
 *   - node-fetch with a keep-alive agent, as telegraf sends every call;
 *   - node's `http.request` with a keep-alive agent;
 *   - ours, `src/infra/keepAliveHttp.ts` (what `src/telegram/transport.ts` uses).
 *
 *   npm run bench -- transport [--calls N] [--rounds N]
 *
 * Prints µs of CPU (user + system) per call for each way and round, each round's ratio of ours
 * to the others, and a last line of JSON with the medians.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import { createRequire } from 'node:module';
import { KeepAliveHttp } from '../src/infra/keepAliveHttp.js';

/** telegraf's own node-fetch (a dependency of telegraf, not of ours). */
type Fetch = (
  url: string,
  init: { method: string; body: string; headers: Record<string, string>; agent: http.Agent },
) => Promise<{ json(): Promise<unknown> }>;
const require = createRequire(import.meta.url);
const fetch = createRequire(require.resolve('telegraf'))('node-fetch') as Fetch;

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const SERVER = `
const http = require('node:http');
const answer = JSON.stringify({ ok: true, result: { message_id: 1, date: 1700000000,
  chat: { id: 30000001, type: 'private', first_name: 'Đảng viên 1' },
  text: 'Chi bộ Khu phố 3 — Đại hội: đã đăng ký ngày 12/12/2026. '.repeat(12) } });
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) });
    res.end(answer);
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => console.log('port ' + server.address().port));
`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export default async function run(): Promise<void> {
  const calls = option('--calls', 5_000);
  const rounds = option('--rounds', 3);
  const server = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      server.stdout.on('data', (d: Buffer) => {
        const m = /port (\d+)/.exec(d.toString());
        if (m) resolve(Number(m[1]));
      });
      server.once('exit', () => reject(new Error('the bench server stopped')));
    });
    const path = '/bot123456789:BENCH-token/sendMessage';
    const body = JSON.stringify({
      chat_id: 30_000_001,
      text: '<b>Tiến độ đại hội</b> — Phường 1: 12/90 chi bộ đã báo cáo. '.repeat(10),
      parse_mode: 'HTML',
      reply_markup: { inline_keyboard: [[{ text: 'Xem chi tiết', callback_data: 'p:1' }]] },
    });
    const headers = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) };
    const fetchAgent = new http.Agent({ keepAlive: true });
    const httpAgent = new http.Agent({ keepAlive: true });
    const ours = new KeepAliveHttp({ timeoutMs: 60_000 });
    const ways: Record<string, () => Promise<unknown>> = {
      'node-fetch': async () =>
        (
          await fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', body, headers, agent: fetchAgent })
        ).json(),
      'http.request': () =>
        new Promise((resolve, reject) => {
          const req = http.request(
            { hostname: '127.0.0.1', port, path, method: 'POST', agent: httpAgent, headers },
            (res) => {
              const chunks: Buffer[] = [];
              res.on('data', (c: Buffer) => chunks.push(c));
              res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString())));
            },
          );
          req.setTimeout(60_000, () => req.destroy());
          req.on('error', reject);
          req.end(body);
        }),
      ours: async () =>
        JSON.parse(
          (
            await ours.post(
              { secure: false, hostname: '127.0.0.1', port: String(port), path },
              body,
              'application/json',
            )
          ).text,
        ),
    };
    const results: Record<string, number[]> = Object.fromEntries(Object.keys(ways).map((w) => [w, []]));
    console.log(`transport bench: ${calls} calls a way a round, ${rounds} rounds; µs of client CPU per call`);
    for (let r = 0; r < rounds; r++) {
      const line: string[] = [];
      for (const [name, call] of Object.entries(ways)) {
        for (let i = 0; i < 500; i++) await call(); // warm
        const from = process.cpuUsage();
        for (let i = 0; i < calls; i++) await call();
        const used = process.cpuUsage(from);
        const us = (used.user + used.system) / calls;
        results[name]!.push(us);
        line.push(`${name} ${us.toFixed(0)}`);
      }
      const o = results.ours!.at(-1)!;
      console.log(
        `round ${r + 1}: ${line.join(', ')}; ours ÷ node-fetch ${(o / results['node-fetch']!.at(-1)!).toFixed(2)}, ours ÷ http.request ${(o / results['http.request']!.at(-1)!).toFixed(2)}`,
      );
    }
    ours.close();
    fetchAgent.destroy();
    httpAgent.destroy();
    console.log(
      JSON.stringify(
        Object.fromEntries(Object.entries(results).map(([k, v]) => [k, Number(median(v).toFixed(1))])),
      ),
    );
  } finally {
    server.kill();
  }
}
