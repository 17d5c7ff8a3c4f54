/**
 * A minimal LSP client over stdio (JSON-RPC with `Content-Length` framing), enough to drive
 * `vscode-eslint-language-server` the way the VS Code extension does: it answers the server's
 * `workspace/configuration` requests with the extension's settings and records server-to-client
 * requests (`eslint/openDoc`) so that tests can assert on them.
 */
import type { ChildProcess } from 'node:child_process';
import { killTree, spawnTracked } from './process.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export interface ServerRequest {
  method: string;
  params: unknown;
}

export interface LspClientOptions {
  cwd: string;
  /** The answer to each `workspace/configuration` item (the extension sends one object per item). */
  configuration: (item: { scopeUri?: string; section?: string }) => unknown;
  /** Milliseconds before a request fails. */
  requestTimeoutMs?: number;
}

/** One language server process and the client side of its connection. */
export class LspClient {
  readonly child: ChildProcess;
  /** Requests the server sent us, in order. */
  readonly serverRequests: ServerRequest[] = [];
  /** Notifications the server sent us, in order. */
  readonly notifications: ServerRequest[] = [];
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly waiters: { method: string; resolve(request: ServerRequest): void }[] = [];
  private stderr = '';

  constructor(
    command: string,
    args: readonly string[],
    private readonly options: LspClientOptions,
  ) {
    this.child = spawnTracked(command, args, { cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'], env: process.env });
    this.child.stdout!.on('data', (chunk: Buffer) => this.onData(chunk));
    // Writes after the server died surface as the pending requests' rejection, not as EPIPE.
    this.child.stdin!.on('error', () => undefined);
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.child.once('exit', (code, signal) => {
      for (const [, pending] of this.pending) {
        clearTimeout(pending.timer);
        pending.reject(new Error(`language server exited (${code ?? signal}): ${this.stderr.slice(-2000)}`));
      }
      this.pending.clear();
    });
  }

  /** Sends a request and resolves with its result (rejects on an error response or the timeout). */
  request<T = unknown>(method: string, params: unknown): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timeoutMs = this.options.requestTimeoutMs ?? 60_000;
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method} timed out after ${timeoutMs} ms; server stderr: ${this.stderr.slice(-2000)}`));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, timer });
      this.send({ jsonrpc: '2.0', id, method, params: params as Json });
    });
  }

  /** Sends a notification. */
  notify(method: string, params: unknown): void {
    this.send({ jsonrpc: '2.0', method, params: params as Json });
  }

  /** Resolves with the next server request of `method` (or one already received and not yet taken). */
  nextServerRequest(method: string, timeoutMs = 10_000): Promise<ServerRequest> {
    const index = this.serverRequests.findIndex((r) => r.method === method);
    if (index !== -1) return Promise.resolve(this.serverRequests.splice(index, 1)[0]!);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${method} request from the server within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        method,
        resolve: (request) => {
          clearTimeout(timer);
          resolve(request);
        },
      });
    });
  }

  /** Asks the server to shut down, then makes sure the process is gone. */
  async close(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
      try {
        await this.request('shutdown', null);
        this.notify('exit', null);
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
      } catch {
        // A server that does not answer is killed below.
      }
    }
    killTree(this.child);
  }

  private send(message: Record<string, Json>): void {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.child.stdin!.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin!.write(body);
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd === -1) return;
      const header = this.buffer.subarray(0, headerEnd).toString('ascii');
      const length = Number(/Content-Length: *(\d+)/i.exec(header)?.[1]);
      if (!Number.isFinite(length)) throw new Error(`bad LSP header: ${header}`);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const body = this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8');
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      this.onMessage(JSON.parse(body) as Record<string, unknown>);
    }
  }

  private onMessage(message: Record<string, unknown>): void {
    const { id, method } = message;
    if (typeof method === 'string' && id !== undefined) {
      this.onServerRequest(id as number | string, method, message.params);
    } else if (typeof method === 'string') {
      this.notifications.push({ method, params: message.params });
    } else if (typeof id === 'number') {
      const pending = this.pending.get(id);
      if (!pending) return;
      this.pending.delete(id);
      clearTimeout(pending.timer);
      const error = message.error as { message: string } | undefined;
      if (error) pending.reject(new Error(`server error: ${error.message}`));
      else pending.resolve(message.result);
    }
  }

  private onServerRequest(id: number | string, method: string, params: unknown): void {
    let result: unknown = null;
    if (method === 'workspace/configuration') {
      result = (params as { items: { scopeUri?: string; section?: string }[] }).items.map((item) => this.options.configuration(item));
    } else if (method === 'workspace/workspaceFolders') {
      result = [];
    } else {
      // The editor applies the edit of a quick fix; tests read it from the recorded request.
      if (method === 'workspace/applyEdit') result = { applied: true };
      const request = { method, params };
      const waiter = this.waiters.findIndex((w) => w.method === method);
      if (waiter === -1) this.serverRequests.push(request);
      else this.waiters.splice(waiter, 1)[0]!.resolve(request);
    }
    this.send({ jsonrpc: '2.0', id, result: result as Json });
  }
}
