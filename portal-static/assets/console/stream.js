// One gateway WebSocket stream (/v1/stream/market or /v1/stream/orders) for the console: the session
// token as the first frame (a browser cannot set headers on a WebSocket), subscriptions, and the
// stream protocol's recovery: on a close or a gap, reconnect with backoff and subscribe again with
// the last seq of each channel and the server's epoch, so the server replays exactly what was missed
// (or sends a fresh snapshot flagged resumed:false). Duplicates (seq not above the last) are dropped.

const MAX_BACKOFF_MS = 15000;

export class Stream {
  /**
   * @param path     '/v1/stream/market' or '/v1/stream/orders'
   * @param token    a function giving the session token (read at each connect: it may be renewed)
   * @param onFrame  called with each new data frame {channel, seq, data, snapshot, resumed, type}
   * @param onState  called with 'connecting' | 'open' | 'closed' and, on error frames, ('error', frame)
   */
  constructor(path, token, onFrame, onState) {
    this.path = path;
    this.token = token;
    this.onFrame = onFrame;
    this.onState = onState || (() => {});
    this.channels = new Set();
    this.lastSeq = new Map(); // channel -> last seq applied
    this.epoch = null;
    this.ws = null;
    this.backoff = 500;
    this.stopped = false;
    this.timer = null;
  }

  start() { this.stopped = false; this.connect(); }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.ws) this.ws.close(1000);
  }

  /** Subscribes (now, or at the next connect); a channel seen before resumes from its last seq. */
  subscribe(channels) {
    channels.forEach((c) => this.channels.add(c));
    this.send(this.subscribeFrame(channels));
  }

  /** Unsubscribes and forgets the channels' seqs (a later subscribe starts with a snapshot). */
  unsubscribe(channels) {
    channels.forEach((c) => { this.channels.delete(c); this.lastSeq.delete(c); });
    this.send({ op: 'unsubscribe', channels });
  }

  subscribeFrame(channels) {
    const frame = { op: 'subscribe', channels };
    const resume = {};
    channels.forEach((c) => { if (this.lastSeq.has(c)) resume[c] = this.lastSeq.get(c); });
    if (Object.keys(resume).length) {
      frame.resume = resume;
      if (this.epoch) frame.epoch = this.epoch;
    }
    return frame;
  }

  send(frame) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN && this.authenticated) this.ws.send(JSON.stringify(frame));
  }

  connect() {
    if (this.stopped) return;
    const token = this.token();
    if (!token) { this.onState('closed'); return; }
    this.onState('connecting');
    const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + this.path;
    const ws = new WebSocket(url);
    this.ws = ws;
    this.authenticated = false;
    ws.addEventListener('open', () => {
      ws.send(JSON.stringify({ op: 'auth', token }));
      this.authenticated = true; // success is silent; a refusal is an error frame and a close 1008
      this.backoff = 500;
      if (this.channels.size) ws.send(JSON.stringify(this.subscribeFrame([...this.channels])));
      this.onState('open');
    });
    ws.addEventListener('message', (e) => this.receive(e.data));
    ws.addEventListener('close', () => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.onState('closed');
      if (this.stopped) return;
      this.timer = setTimeout(() => this.connect(), this.backoff);
      this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF_MS);
    });
  }

  /** Replaces the connection (recovering a gap): the new one resumes every channel. */
  reconnect() {
    const ws = this.ws;
    this.ws = null;
    if (ws) ws.close(1000);
    clearTimeout(this.timer);
    this.connect();
  }

  receive(text) {
    let f;
    try { f = JSON.parse(text); } catch (e) { return; }
    if (f.seq === undefined) { this.control(f); return; }
    if (!this.channels.has(f.channel)) return; // left over from an unsubscribed channel
    const last = this.lastSeq.get(f.channel);
    const snapshot = f.snapshot === true;
    if (!snapshot && last !== undefined) {
      if (f.seq <= last) return;            // a duplicate after a resume
      if (f.seq > last + 1) { this.reconnect(); return; } // a gap: resume from the last one applied
    }
    this.lastSeq.set(f.channel, f.seq);
    this.onFrame(f);
  }

  control(f) {
    if (f.epoch) this.epoch = f.epoch;
    if (f.type === 'subscribed' && f.seqs) {
      // The head seq of a channel seen for the first time: the next data frame is head + 1.
      for (const [channel, head] of Object.entries(f.seqs)) {
        if (!this.lastSeq.has(channel) && this.channels.has(channel)) this.lastSeq.set(channel, head);
      }
    }
    if (f.type === 'heartbeat' && f.seqs) {
      // A heartbeat ahead of a channel's last seq means a lost message: resume.
      for (const [channel, head] of Object.entries(f.seqs)) {
        const last = this.lastSeq.get(channel);
        if (last !== undefined && head > last && this.channels.has(channel)) { this.reconnect(); return; }
      }
    }
    if (f.type === 'error') this.onState('error', f);
  }
}
