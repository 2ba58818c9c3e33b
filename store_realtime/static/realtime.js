// The /realtime WebSocket: JSON events both ways, and how it ended.

const MAX_BUFFERED_BYTES = 512 * 1024; // past this the network is stalled: drop mic frames, not memory

export function realtimeUrl(where = window.location) {
  return (where.protocol === "https:" ? "wss://" : "ws://") + where.host + "/realtime";
}

export function toBase64(bytes) {
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    text += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return btoa(text);
}

export function fromBase64(text) {
  const raw = atob(text);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

export class RealtimeSocket {
  // onClose gets {opened, byClient, code, reason, lastError}: enough to tell refused, lost, full and ended apart.
  constructor(url, { onOpen, onEvent, onClose }) {
    this.opened = false;
    this.byClient = false;
    this.lastError = null;
    this.appends = 0;
    this.dropped = 0;
    this.ws = new WebSocket(url);
    this.ws.onopen = () => {
      this.opened = true;
      onOpen?.();
    };
    this.ws.onmessage = (message) => {
      if (typeof message.data !== "string") return;
      let event;
      try {
        event = JSON.parse(message.data);
      } catch {
        return;
      }
      if (event?.type === "error") this.lastError = event.error ?? {};
      onEvent(event);
    };
    this.ws.onclose = (close) => {
      onClose({
        opened: this.opened,
        byClient: this.byClient,
        code: close.code,
        reason: close.reason,
        lastError: this.lastError,
      });
    };
  }

  get isOpen() {
    return this.ws.readyState === WebSocket.OPEN;
  }

  send(type, fields = {}) {
    if (!this.isOpen) return false;
    this.ws.send(JSON.stringify({ type, ...fields }));
    return true;
  }

  sendAudio(pcm) {
    if (!this.isOpen) return false;
    if (this.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.dropped += 1;
      return false;
    }
    this.appends += 1;
    return this.send("input_audio_buffer.append", { audio: toBase64(new Uint8Array(pcm)) });
  }

  close() {
    this.byClient = true;
    if (this.ws.readyState === WebSocket.CONNECTING || this.ws.readyState === WebSocket.OPEN) {
      this.ws.close(1000, "customer ended the session");
    }
  }
}
