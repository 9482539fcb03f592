/**
 * Requests with exactly the bytes a test wants. fetch normalizes headers (trims, refuses bytes above
 * 0xFF); node:http sends what it is given within the HTTP grammar, and a raw socket sends anything.
 */
import http from 'node:http';
import net from 'node:net';

export interface RawRequest {
  method: string;
  path: string;
  /** An array sends the header once per value. */
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
  /** Send the body chunked, without Content-Length. */
  chunked?: boolean;
}

export interface RawResponse {
  status: number;
  body: string;
}

export function createRawClient(port: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  return {
    request(req: RawRequest): Promise<RawResponse> {
      return new Promise((resolve, reject) => {
        const headers: Record<string, string | string[] | number> = { ...req.headers };
        if (req.body !== undefined && !req.chunked) headers['content-length'] = Buffer.byteLength(req.body);
        const outgoing = http.request({ host: '127.0.0.1', port, method: req.method, path: req.path, headers, agent }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        });
        outgoing.on('error', reject);
        outgoing.setTimeout(10_000, () => outgoing.destroy(new Error('request timed out after 10 s')));
        if (req.body !== undefined) outgoing.write(req.body);
        outgoing.end();
      });
    },
    close() {
      agent.destroy();
    },
  };
}

/**
 * Writes a request head with one oversized header and reads whatever status line comes back. The
 * header goes out in slices and stops as soon as the server answers, so its answer is not lost to a
 * reset caused by bytes it never read.
 */
export function sendOversizedHeader(port: number, headerBytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      const match = /^HTTP\/1\.1 (\d{3})/.exec(answer);
      if (match) resolve(Number(match[1]));
      else reject(error ?? new Error(`no status line in ${JSON.stringify(answer.slice(0, 80))}`));
    };
    socket.setTimeout(10_000, () => finish(new Error('timed out')));
    socket.on('data', (d: Buffer) => {
      answer += d.toString('latin1');
      if (answer.includes('\r\n')) finish();
    });
    socket.on('error', (e) => finish(e));
    socket.on('close', () => finish());
    socket.on('connect', async () => {
      socket.write('GET /api/improvements/proposals HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ');
      const slice = 'a'.repeat(16 * 1024);
      for (let sent = 0; sent < headerBytes && !settled; sent += slice.length) {
        if (!socket.write(slice)) await new Promise((r) => socket.once('drain', r));
      }
      if (!settled) socket.write('\r\n\r\n');
    });
  });
}
