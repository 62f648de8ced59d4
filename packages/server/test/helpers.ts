import type { FastifyInstance } from 'fastify';
import { createServer } from '../src/create-server';
import type { ServerOptions } from '../src/options';

export async function listen(options: ServerOptions): Promise<{ app: FastifyInstance; url: string }> {
  const app = createServer({ logger: false, defaultMetrics: false, ...options });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url };
}

export async function postRaw(url: string, body: Uint8Array, contentType = 'audio/wav', query = ''): Promise<{ status: number; json: any; headers: Headers }> {
  const res = await fetch(`${url}/v1/detect${query}`, { method: 'POST', body, headers: { 'content-type': contentType } });
  return { status: res.status, json: await res.json(), headers: res.headers };
}

export async function postMultipart(url: string, body: Uint8Array, field = 'file', query = ''): Promise<{ status: number; json: any }> {
  const form = new FormData();
  form.append(field, new Blob([body]), 'clip.wav');
  const res = await fetch(`${url}/v1/detect${query}`, { method: 'POST', body: form });
  return { status: res.status, json: await res.json() };
}

/** Result without the per-request fields. */
export function verdict(json: any): unknown {
  const { request_id: _id, timing: _t, ...rest } = json;
  return rest;
}

export async function waitFor(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
