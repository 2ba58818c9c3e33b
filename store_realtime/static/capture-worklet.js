// Microphone capture: the context's rate (often 48 kHz) down to 24 kHz mono pcm16, posted in frames.
// A 6th-order Butterworth low-pass (three biquads) removes what would fold back below 12 kHz; linear
// interpolation then reads the filtered signal at 24 kHz, carrying its position across render blocks.

const TARGET_RATE = 24000;
const CUTOFF = 0.42 * TARGET_RATE;
const BUTTERWORTH_Q = [1.9319, 0.7071, 0.5176]; // 1 / (2 sin((2k - 1) π / 12)), k = 1..3

class Biquad {
  constructor(rate, cutoff, q) {
    const w = (2 * Math.PI * cutoff) / rate;
    const alpha = Math.sin(w) / (2 * q);
    const cos = Math.cos(w);
    const a0 = 1 + alpha;
    this.b0 = (1 - cos) / 2 / a0;
    this.b1 = (1 - cos) / a0;
    this.b2 = this.b0;
    this.a1 = (-2 * cos) / a0;
    this.a2 = (1 - alpha) / a0;
    this.x1 = this.x2 = this.y1 = this.y2 = 0;
  }

  run(x) {
    const y = this.b0 * x + this.b1 * this.x1 + this.b2 * this.x2 - this.a1 * this.y1 - this.a2 * this.y2;
    this.x2 = this.x1;
    this.x1 = x;
    this.y2 = this.y1;
    this.y1 = y;
    return y;
  }
}

class CaptureProcessor extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const frameMs = options?.processorOptions?.frameMs ?? 50;
    this.step = sampleRate / TARGET_RATE; // input samples per output sample
    this.filters = this.step > 1 ? BUTTERWORTH_Q.map((q) => new Biquad(sampleRate, CUTOFF, q)) : [];
    this.frameLength = Math.round((TARGET_RATE * frameMs) / 1000);
    this.frame = new Int16Array(this.frameLength);
    this.filled = 0;
    this.squares = 0;
    this.position = 0; // of the next output sample, in input samples from this block's start (-1 = last block's end)
    this.last = 0;
    this.block = new Float32Array(128);
  }

  process(inputs) {
    const channels = inputs[0];
    if (!channels || channels.length === 0 || channels[0].length === 0) return true;
    const n = channels[0].length;
    if (this.block.length !== n) this.block = new Float32Array(n);
    const x = this.block;
    for (let i = 0; i < n; i++) {
      let value = 0;
      for (const channel of channels) value += channel[i];
      value /= channels.length;
      for (const filter of this.filters) value = filter.run(value);
      x[i] = value;
    }
    let t = this.position;
    while (t < n - 1) {
      const i = Math.floor(t);
      const a = i < 0 ? this.last : x[i];
      const b = x[i + 1];
      this.push(a + (b - a) * (t - i));
      t += this.step;
    }
    this.position = t - n;
    this.last = x[n - 1];
    return true;
  }

  push(value) {
    const s = Math.max(-1, Math.min(1, value));
    this.squares += s * s;
    this.frame[this.filled++] = s < 0 ? s * 0x8000 : s * 0x7fff;
    if (this.filled === this.frameLength) {
      const level = Math.sqrt(this.squares / this.frameLength);
      this.port.postMessage({ type: "frame", pcm: this.frame.buffer, level }, [this.frame.buffer]);
      this.frame = new Int16Array(this.frameLength);
      this.filled = 0;
      this.squares = 0;
    }
  }
}

registerProcessor("store-capture", CaptureProcessor);
