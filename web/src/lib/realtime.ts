// The live connection: PRODUCT.md's WebSocket protocol (auth frame with the last cursor, replay,
// `ready`, requests answered by `ack`/`error`), reconnecting with backoff after any drop, and
// the long-poll fallback (`GET /api/events`) for networks that block WebSocket. Every durable
// event passes through the cursor keeper, so an event replayed twice is applied once.

import { reconnectDelay } from './backoff';
import type { CursorKeeper } from './cursor';
import type { IncomingFrame, ServerEvent } from './types';

export type ConnectionStatus = 'connecting' | 'online' | 'offline';
export type Transport = 'websocket' | 'longpoll';

export class RequestError extends Error {
  constructor(readonly code: string, message: string, readonly retryable: boolean) {
    super(message);
  }
}

export interface RealtimeDeps {
  socketUrl: () => string;
  /** A valid access token (refreshed when needed), or null when signed out. */
  token: () => Promise<string | null>;
  /** Called when the server refused the token: refresh it; resolves false when signed out. */
  refresh: () => Promise<boolean>;
  cursor: CursorKeeper;
  onEvent: (event: ServerEvent) => void;
  onStatus: (status: ConnectionStatus, transport: Transport) => void;
  /** After each (re)connection once the replay is applied. */
  onReady: (info: { userId?: string; cursor?: string; resumed: boolean }) => void;
  /** One long-poll: events after the cursor, waiting up to timeoutSeconds. */
  poll?: (cursor: string | null, timeoutSeconds: number, signal: AbortSignal) => Promise<{ events: ServerEvent[]; cursor: string | null }>;
  /**
   * Whether the server answers plain HTTP (GET /health) right now. A WebSocket that fails to open
   * while HTTP works means something blocks WebSocket; when HTTP fails too the server is simply
   * down (a restart) and the long-poll fallback would be wrong.
   */
  probe?: () => Promise<boolean>;
  /** The server says our cursor is older than the retained stream: reload state from REST. */
  onResync?: () => void;
  /** The session ended and could not be refreshed (4401 and a refused refresh): sign out. */
  onSignedOut?: () => void;
  createSocket?: (url: string) => WebSocket;
  random?: () => number;
}

interface Pending {
  resolve: (data: unknown) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

const READY_TIMEOUT_MS = 15_000;
const WS_FAILURES_BEFORE_LONGPOLL = 3;
const WEBSOCKET_RETRY_FROM_LONGPOLL_MS = 60_000;
/**
 * Silence after which we ping, and after which a connection counts as dead (sleep, lost Wi-Fi,
 * a NAT that forgot us): the server answers every ping with a pong, so two missed pings mean
 * no data can flow and the user must be told. A frame of any kind counts as a sign of life.
 */
const PING_AFTER_MS = 4_000;
const DEAD_AFTER_MS = 9_000;
const HEARTBEAT_TICK_MS = 1_000;
/** Reconnect delays stay short: after a restart the client is back within 2 s of the server. */
const RECONNECT_CAP_MS = 2_000;

export class RealtimeClient {
  private socket: WebSocket | null = null;
  private status: ConnectionStatus = 'offline';
  private transport: Transport = 'websocket';
  private attempt = 0;
  private wsOpenFailures = 0;
  private stopped = true;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private readyTimer: ReturnType<typeof setTimeout> | null = null;
  private pollAbort: AbortController | null = null;
  private longPollSince = 0;
  /** When the socket now opening was started, and when a probe last found HTTP answering. */
  private socketStartedAt = 0;
  private httpWorkedAt = 0;
  private pending = new Map<string, Pending>();
  private nextRequestId = 1;
  private authRetried = false;
  private heartbeatTimer: ReturnType<typeof setInterval> | null = null;
  private lastFrameAt = 0;
  private lastPingAt = 0;

  constructor(private readonly deps: RealtimeDeps) {}

  get currentStatus(): ConnectionStatus {
    return this.status;
  }

  get currentTransport(): Transport {
    return this.transport;
  }

  start() {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  stop() {
    this.stopped = true;
    this.clearTimers();
    this.pollAbort?.abort();
    const s = this.socket;
    this.socket = null;
    if (s) {
      s.onclose = null;
      s.close(1000, 'signed out');
    }
    this.failPending('OFFLINE', 'Disconnected');
    this.setStatus('offline');
  }

  /** Reconnect now (the browser came back online, or the tab became visible). */
  reconnectNow() {
    if (this.stopped || this.status !== 'offline') return;
    this.attempt = 0;
    this.clearTimers();
    this.connect();
  }

  /** Test hook and "the network dropped" simulation: closes the connection as a failure would. */
  drop() {
    if (this.socket) this.socket.close(4000, 'dropped by client');
    else this.pollAbort?.abort();
  }

  /** After a token refresh: tell the open socket, so the server keeps it past the old token's expiry. */
  tokenRefreshed(token: string) {
    if (this.status === 'online' && this.transport === 'websocket' && this.socket?.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify({ type: 'auth:refresh', id: `t${this.nextRequestId++}`, data: { token } }));
    }
  }

  /** Sends a client request and resolves with the ack's data. Rejects at once when not connected. */
  request<T = unknown>(type: string, data: unknown, timeoutMs = 10_000): Promise<T> {
    const socket = this.socket;
    if (this.status !== 'online' || !socket || socket.readyState !== WebSocket.OPEN) {
      return Promise.reject(new RequestError('OFFLINE', 'Not connected', true));
    }
    const id = `r${this.nextRequestId++}`;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new RequestError('TIMEOUT', 'The server did not answer in time', true));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (d: unknown) => void, reject, timer });
      socket.send(JSON.stringify({ type, id, data }));
    });
  }

  /** Fire-and-forget frames (typing): dropped when not connected. */
  notify(type: string, data: unknown) {
    if (this.status === 'online' && this.socket?.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify({ type, id: `n${this.nextRequestId++}`, data }));
    }
  }

  get canRequest(): boolean {
    return this.status === 'online' && this.transport === 'websocket';
  }

  private connect() {
    if (this.stopped) return;
    this.setStatus('connecting');
    const useLongPoll = this.transport === 'longpoll' && Date.now() - this.longPollSince < WEBSOCKET_RETRY_FROM_LONGPOLL_MS;
    if (useLongPoll && this.deps.poll) {
      void this.runLongPoll();
    } else {
      this.transport = 'websocket';
      void this.openSocket();
    }
  }

  private async openSocket() {
    const token = await this.deps.token();
    if (this.stopped) return;
    if (!token) {
      this.stopped = true;
      this.setStatus('offline');
      return;
    }
    let socket: WebSocket;
    this.socketStartedAt = Date.now();
    try {
      socket = (this.deps.createSocket ?? ((u) => new WebSocket(u)))(this.deps.socketUrl());
    } catch {
      this.wsOpenFailures++;
      void this.afterSocketClosed(true);
      return;
    }
    this.socket = socket;
    let opened = false;
    let ready = false;
    socket.onopen = () => {
      opened = true;
      this.wsOpenFailures = 0;
      this.httpWorkedAt = 0;
      const cursor = this.deps.cursor.current;
      socket.send(JSON.stringify({ type: 'auth', data: cursor ? { token, cursor } : { token } }));
      this.readyTimer = setTimeout(() => socket.close(4001, 'no ready'), READY_TIMEOUT_MS);
    };
    socket.onmessage = (message) => {
      this.lastFrameAt = Date.now();
      let parsed: unknown;
      try {
        parsed = JSON.parse(typeof message.data === 'string' ? message.data : '');
      } catch {
        return;
      }
      if (!parsed || typeof (parsed as { type?: unknown }).type !== 'string') return;
      // The server's frames are the generated union (docs/protocol/events.schema.json).
      const frame = parsed as IncomingFrame;
      if (frame.type === 'pong') return;
      if (frame.type === 'resync') {
        // Our cursor is older than the retained stream: forget it, take the position the ready
        // frame brings, and reload chats and the open chat from REST.
        this.deps.cursor.reset();
        this.deps.cursor.advance(frame.data?.cursor);
        this.deps.onResync?.();
        return;
      }
      if (frame.type === 'ready') {
        ready = true;
        if (this.readyTimer) clearTimeout(this.readyTimer);
        const resumed = this.deps.cursor.current !== null;
        this.deps.cursor.advance(frame.data?.cursor);
        this.attempt = 0;
        this.authRetried = false;
        this.startHeartbeat(socket);
        this.setStatus('online');
        this.deps.onReady({ userId: frame.data?.userId, cursor: frame.data?.cursor, resumed });
        return;
      }
      if (frame.type === 'ack' || (frame.type === 'error' && frame.id)) {
        const requestId = String(frame.id ?? '');
        const p = this.pending.get(requestId);
        if (!p) return;
        this.pending.delete(requestId);
        clearTimeout(p.timer);
        if (frame.type === 'ack') p.resolve(frame.data);
        else {
          const code = frame.error?.code ?? 'ERROR';
          p.reject(new RequestError(code, frame.error?.message ?? 'Request failed',
            code === 'RATE_LIMIT_EXCEEDED' || code === 'INTERNAL_ERROR' || code === 'SERVICE_UNAVAILABLE'));
        }
        return;
      }
      if (frame.type === 'error') {
        // An error about the connection itself (a refused or expired token: the server says UNAUTHORIZED).
        if (!ready && frame.error?.code === 'UNAUTHORIZED') {
          socket.close(4401, 'unauthorized');
        }
        return;
      }
      this.dispatch(frame);
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.readyTimer) clearTimeout(this.readyTimer);
      this.stopHeartbeat();
      this.failPending('OFFLINE', 'Connection lost');
      if (event.code === 4401) {
        // The token was refused or the session ended: refresh it, then connect again.
        this.setStatus('offline');
        void this.handleUnauthorized(ready);
        return;
      }
      if (!opened) this.wsOpenFailures++;
      void this.afterSocketClosed(!opened);
    };
    socket.onerror = () => {
      // onclose follows and decides what to do
    };
  }

  private async afterSocketClosed(openFailed: boolean) {
    if (openFailed && this.wsOpenFailures >= WS_FAILURES_BEFORE_LONGPOLL && this.deps.poll && navigatorOnline()) {
      if (this.httpWorkedAt > 0 && this.httpWorkedAt <= this.socketStartedAt) {
        // WebSocket failed to open although the server answered HTTP before it was tried: a
        // proxy or firewall blocks it.
        this.transport = 'longpoll';
        this.longPollSince = Date.now();
      } else {
        const httpWorks = this.deps.probe ? await this.deps.probe().catch(() => false) : false;
        if (this.stopped) return;
        this.httpWorkedAt = httpWorks ? Date.now() : 0;
        if (httpWorks) {
          // HTTP answers now, but the failed sockets may date from an outage that just ended (a
          // restart): try WebSocket once more at once, and fall back only if that fails too.
          this.setStatus('offline');
          this.connect();
          return;
        }
      }
    }
    this.scheduleReconnect();
  }

  private startHeartbeat(socket: WebSocket) {
    this.stopHeartbeat();
    this.lastFrameAt = Date.now();
    this.heartbeatTimer = setInterval(() => {
      const silent = Date.now() - this.lastFrameAt;
      if (silent > DEAD_AFTER_MS) {
        // On a dead network the closing handshake never completes (onclose can wait for TCP's own
        // timeout, minutes): give up on this socket now and reconnect; its late onclose is ignored.
        const closed = socket.onclose;
        try {
          socket.close(4002, 'no heartbeat');
        } catch {
          // already closing
        }
        closed?.call(socket, { code: 4002, reason: 'no heartbeat', wasClean: false } as CloseEvent);
      } else if (silent > PING_AFTER_MS && socket.readyState === WebSocket.OPEN && Date.now() - this.lastPingAt > PING_AFTER_MS) {
        this.lastPingAt = Date.now();
        socket.send(JSON.stringify({ type: 'ping', id: `p${this.nextRequestId++}` }));
      }
    }, HEARTBEAT_TICK_MS);
  }

  private stopHeartbeat() {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
  }

  private async handleUnauthorized(wasReady: boolean) {
    // A refused token right after a refresh would loop: refresh once per connection attempt,
    // but a session that ends while online (logout elsewhere, expiry) always gets its refresh.
    if (this.authRetried && !wasReady) {
      this.scheduleReconnect();
      return;
    }
    this.authRetried = true;
    const ok = await this.deps.refresh();
    if (this.stopped) return;
    if (!ok) {
      this.stop();
      this.deps.onSignedOut?.();
      return;
    }
    this.connect();
  }

  private dispatch(event: ServerEvent) {
    const cursor = 'cursor' in event ? event.cursor : undefined;
    if (cursor !== undefined && cursor !== null && cursor !== '') {
      if (!this.deps.cursor.isNew(String(cursor))) return; // replayed twice: already applied
    }
    try {
      this.deps.onEvent(event);
    } catch (e) {
      console.error('Failed to apply event', event.type, e);
    }
    if (cursor) this.deps.cursor.advance(String(cursor));
  }

  private async runLongPoll() {
    const poll = this.deps.poll!;
    let first = true;
    while (!this.stopped && this.transport === 'longpoll') {
      const abort = new AbortController();
      this.pollAbort = abort;
      try {
        const startedAt = Date.now();
        const result = await poll(this.deps.cursor.current, first ? 0 : 25, abort.signal);
        if (this.stopped) return;
        if (!first && result.events.length === 0 && Date.now() - startedAt < 1000) {
          // The server answered at once with nothing (a proxy cutting long requests short): pace the loop.
          await new Promise((resolve) => setTimeout(resolve, 2000));
          if (this.stopped) return;
        }
        const resumed = this.deps.cursor.current !== null;
        for (const event of result.events) this.dispatch(event);
        this.deps.cursor.advance(result.cursor);
        if (first) {
          first = false;
          this.attempt = 0;
          this.setStatus('online');
          this.deps.onReady({ cursor: result.cursor ?? undefined, resumed });
        }
        if (Date.now() - this.longPollSince > WEBSOCKET_RETRY_FROM_LONGPOLL_MS) {
          // Try WebSocket again from time to time: the network that blocked it may have changed.
          this.transport = 'websocket';
          this.wsOpenFailures = 0;
          this.connect();
          return;
        }
      } catch {
        if (this.stopped) return;
        this.pollAbort = null;
        this.scheduleReconnect();
        return;
      }
    }
  }

  private scheduleReconnect() {
    if (this.stopped) return;
    this.setStatus('offline');
    const delay = reconnectDelay(this.attempt++, this.deps.random, 500, RECONNECT_CAP_MS);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, delay);
  }

  private failPending(code: string, message: string) {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new RequestError(code, message, true));
      this.pending.delete(id);
    }
  }

  private clearTimers() {
    this.stopHeartbeat();
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.readyTimer) clearTimeout(this.readyTimer);
    this.reconnectTimer = null;
    this.readyTimer = null;
  }

  private setStatus(status: ConnectionStatus) {
    if (this.status === status) return;
    this.status = status;
    this.deps.onStatus(status, this.transport);
  }
}

function navigatorOnline(): boolean {
  return typeof navigator === 'undefined' || navigator.onLine !== false;
}
