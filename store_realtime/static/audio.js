// Microphone in, assistant speech out: both through AudioWorklets on one AudioContext.

export const AUDIO_RATE = 24000;

const MIC_CONSTRAINTS = {
  audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true, channelCount: 1 },
};

export class MicrophoneError extends Error {
  constructor(kind, cause) {
    super(`microphone: ${kind}`);
    this.kind = kind; // denied | missing | busy | unsupported | failed
    this.cause = cause;
  }
}

function micErrorKind(error) {
  switch (error?.name) {
    case "NotAllowedError":
    case "SecurityError":
    case "PermissionDeniedError":
      return "denied";
    case "NotFoundError":
    case "OverconstrainedError":
      return "missing";
    case "NotReadableError":
    case "AbortError":
      return "busy";
    default:
      return "failed";
  }
}

// The context is made inside the click that starts a session, so browsers let it play.
export async function createAudio() {
  const context = new AudioContext({ latencyHint: "interactive" });
  const resumed = context.resume();
  await Promise.all([
    context.audioWorklet.addModule(new URL("./capture-worklet.js", import.meta.url)),
    context.audioWorklet.addModule(new URL("./playback-worklet.js", import.meta.url)),
  ]);
  await resumed;
  return { context, player: new Player(context) };
}

export class Microphone {
  static async open(context, { onFrame, onEnded, frameMs = 50 }) {
    if (!navigator.mediaDevices?.getUserMedia) throw new MicrophoneError("unsupported");
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia(MIC_CONSTRAINTS);
    } catch (error) {
      throw new MicrophoneError(micErrorKind(error), error);
    }
    const source = context.createMediaStreamSource(stream);
    const node = new AudioWorkletNode(context, "store-capture", {
      numberOfInputs: 1,
      numberOfOutputs: 0,
      channelCount: 1,
      channelCountMode: "explicit",
      channelInterpretation: "speakers",
      processorOptions: { frameMs },
    });
    node.port.onmessage = (event) => {
      if (event.data.type === "frame") onFrame(event.data.pcm, event.data.level);
    };
    source.connect(node);
    for (const track of stream.getAudioTracks()) track.addEventListener("ended", () => onEnded?.());
    return new Microphone(stream, source, node);
  }

  constructor(stream, source, node) {
    this.stream = stream;
    this.source = source;
    this.node = node;
  }

  close() {
    this.node.port.onmessage = null;
    this.source.disconnect();
    for (const track of this.stream.getTracks()) track.stop();
  }
}

// The page side of playback-worklet.js: what was received and what was played, per item.
export class Player {
  constructor(context) {
    this.node = new AudioWorkletNode(context, "store-playback", {
      numberOfInputs: 0,
      numberOfOutputs: 1,
      outputChannelCount: [1],
    });
    this.node.connect(context.destination);
    this.received = new Map(); // itemId -> samples queued so far
    this.played = new Map(); // itemId -> samples played (latest report)
    this.odd = new Map(); // itemId -> a dangling byte between deltas
    this.pushedSeq = 0;
    this.doneSeq = 0;
    this.flushes = new Map();
    this.flushId = 0;
    this.onStarted = () => {};
    this.onDrained = () => {};
    this.node.port.onmessage = (event) => this.receive(event.data);
  }

  get busy() {
    return this.pushedSeq > this.doneSeq;
  }

  enqueue(itemId, bytes) {
    const dangling = this.odd.get(itemId);
    if (dangling !== undefined) {
      const joined = new Uint8Array(bytes.length + 1);
      joined[0] = dangling;
      joined.set(bytes, 1);
      bytes = joined;
      this.odd.delete(itemId);
    }
    if (bytes.length % 2 === 1) {
      this.odd.set(itemId, bytes[bytes.length - 1]);
      bytes = bytes.subarray(0, bytes.length - 1);
    }
    if (bytes.length === 0) return;
    const pcm = new Int16Array(bytes.length / 2);
    new Uint8Array(pcm.buffer).set(bytes); // pcm16 little-endian, as every browser's platform
    this.received.set(itemId, (this.received.get(itemId) ?? 0) + pcm.length);
    this.pushedSeq += 1;
    this.node.port.postMessage({ type: "push", itemId, seq: this.pushedSeq, pcm: pcm.buffer }, [pcm.buffer]);
  }

  // Stops at once; resolves with every item's exact played samples at that instant.
  flush(timeoutMs = 250) {
    const id = ++this.flushId;
    this.node.port.postMessage({ type: "flush", id });
    this.odd.clear();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.flushes.delete(id);
        this.doneSeq = this.pushedSeq;
        resolve(new Map(this.played));
      }, timeoutMs);
      this.flushes.set(id, (played) => {
        clearTimeout(timer);
        resolve(played);
      });
    });
  }

  // A new session: stop at once and forget every item of the last one.
  reset() {
    this.node.port.postMessage({ type: "reset", seq: this.pushedSeq });
    this.doneSeq = this.pushedSeq;
    this.received.clear();
    this.played.clear();
    this.odd.clear();
    for (const settle of this.flushes.values()) settle(new Map());
    this.flushes.clear();
  }

  playedSamples(itemId) {
    return Math.min(this.played.get(itemId) ?? 0, this.received.get(itemId) ?? 0);
  }

  totalPlayed() {
    let total = 0;
    for (const samples of this.played.values()) total += samples;
    return total;
  }

  receive(message) {
    switch (message.type) {
      case "started":
        this.onStarted(message.itemId);
        break;
      case "played":
        this.played.set(message.itemId, message.samples);
        break;
      case "drained":
        for (const [itemId, samples] of message.played) this.played.set(itemId, samples);
        this.doneSeq = Math.max(this.doneSeq, message.seq);
        if (!this.busy) this.onDrained();
        break;
      case "flushed": {
        for (const [itemId, samples] of message.played) this.played.set(itemId, samples);
        this.doneSeq = Math.max(this.doneSeq, message.seq);
        const settle = this.flushes.get(message.id);
        this.flushes.delete(message.id);
        settle?.(new Map(message.played));
        break;
      }
    }
  }
}
