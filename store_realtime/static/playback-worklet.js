// Assistant speech: a queue of 24 kHz pcm16 chunks, each tagged with its item id, read at the
// context's rate by linear interpolation. It counts exactly how many 24 kHz samples of every item
// have gone out, reports them every ~50 ms, when an item starts and when the queue drains, and
// flushes at once on request (answering with the counts at that instant).

const SOURCE_RATE = 24000;
const REPORT_S = 0.05;

class PlaybackProcessor extends AudioWorkletProcessor {
  constructor() {
    super();
    this.queue = []; // {itemId, seq, pcm: Int16Array}
    this.step = SOURCE_RATE / sampleRate; // source samples per output sample
    this.position = 0; // into queue[0].pcm
    this.played = new Map(); // itemId -> samples of finished chunks
    this.started = new Set();
    this.lastSeq = 0;
    this.reportEvery = Math.round(sampleRate * REPORT_S);
    this.sinceReport = 0;
    this.port.onmessage = (event) => this.receive(event.data);
  }

  receive(message) {
    if (message.type === "push") {
      this.queue.push({ itemId: message.itemId, seq: message.seq, pcm: new Int16Array(message.pcm) });
    } else if (message.type === "flush") {
      const counts = this.counts();
      if (this.queue.length > 0) this.lastSeq = this.queue[this.queue.length - 1].seq;
      this.queue = [];
      this.position = 0;
      for (const [itemId, samples] of counts) this.played.set(itemId, samples);
      this.port.postMessage({ type: "flushed", id: message.id, seq: this.lastSeq, played: counts });
    } else if (message.type === "ping") {
      this.port.postMessage({ type: "pong" });
    } else if (message.type === "reset") {
      this.queue = [];
      this.position = 0;
      this.played.clear();
      this.started.clear();
      this.lastSeq = message.seq;
    }
  }

  // Every item's played samples, the current chunk's part included.
  counts() {
    const counts = new Map(this.played);
    const head = this.queue[0];
    if (head) {
      const part = Math.min(Math.floor(this.position), head.pcm.length);
      counts.set(head.itemId, (counts.get(head.itemId) ?? 0) + part);
    }
    return [...counts];
  }

  sample(index) {
    let chunk = 0;
    while (chunk < this.queue.length && index >= this.queue[chunk].pcm.length) {
      index -= this.queue[chunk].pcm.length;
      chunk++;
    }
    if (chunk === this.queue.length) return null;
    return this.queue[chunk].pcm[index] / 32768;
  }

  process(_inputs, outputs) {
    const output = outputs[0];
    const channel = output[0];
    const wasPlaying = this.queue.length > 0;
    for (let i = 0; i < channel.length; i++) {
      const head = this.queue[0];
      if (!head) {
        channel[i] = 0;
        continue;
      }
      if (!this.started.has(head.itemId)) {
        this.started.add(head.itemId);
        this.port.postMessage({ type: "started", itemId: head.itemId });
      }
      const k = Math.floor(this.position);
      const a = head.pcm[k] / 32768;
      const next = this.sample(k + 1);
      const b = next === null ? a : next;
      channel[i] = a + (b - a) * (this.position - k);
      this.position += this.step;
      while (this.queue.length > 0 && this.position >= this.queue[0].pcm.length) {
        const done = this.queue.shift();
        this.position -= done.pcm.length;
        this.lastSeq = done.seq;
        this.played.set(done.itemId, (this.played.get(done.itemId) ?? 0) + done.pcm.length);
        const following = this.queue[0];
        if (!following || following.itemId !== done.itemId) {
          this.port.postMessage({
            type: "played",
            itemId: done.itemId,
            samples: this.played.get(done.itemId),
          });
        }
      }
      if (this.queue.length === 0) this.position = 0;
    }
    for (let c = 1; c < output.length; c++) output[c].set(channel);
    if (this.queue.length > 0) {
      this.sinceReport += channel.length;
      if (this.sinceReport >= this.reportEvery) {
        this.sinceReport = 0;
        const head = this.queue[0];
        const samples = (this.played.get(head.itemId) ?? 0) + Math.floor(this.position);
        this.port.postMessage({ type: "played", itemId: head.itemId, samples });
      }
    } else if (wasPlaying) {
      this.sinceReport = 0;
      this.port.postMessage({ type: "drained", seq: this.lastSeq, played: [...this.played] });
    }
    return true;
  }
}

registerProcessor("store-playback", PlaybackProcessor);
