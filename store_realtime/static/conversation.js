// What the server's events mean for the page: one handler per event type, looked up in a table.
// Transcripts, assistant audio and barge-in, turn latency, product cards, cart, log.

import { AUDIO_RATE } from "./audio.js";
import { latencyText } from "./ui.js";
import { fromBase64 } from "./realtime.js";

const TOOL_ACTIVITY = [
  [/cart/i, "Updating your cart…"],
  [/recommend/i, "Finding recommendations…"],
  [/detail/i, "Checking the product details…"],
  [/search|find|product/i, "Searching the catalog…"],
];

function toolActivity(name = "") {
  return TOOL_ACTIVITY.find(([pattern]) => pattern.test(name))?.[1] ?? "Working on it…";
}

function samplesToMs(samples) {
  return Math.floor((samples * 1000) / AUDIO_RATE);
}

export class Conversation {
  // activity(state, detail) moves the state line; onReady runs at session.created; onSession gets
  // store.session; onFirstAudio runs at each response's first audio.
  constructor({ transcript, status, shop, log, player, send, activity, onReady, onSession, onFirstAudio }) {
    Object.assign(this, {
      transcript,
      status,
      shop,
      log,
      player,
      send,
      activity,
      onReady,
      onSession,
      onFirstAudio,
    });
    this.responses = new Map(); // response id -> {id, itemIds, audio, done, endOfSpeech, serverMs, pageMs}
    this.itemResponse = new Map(); // assistant item id -> response id
    this.cut = new Set(); // assistant items cut off by barge-in: their late audio is dropped
    this.endOfSpeech = null;
    this.current = null; // the latest response.created, until its response.done
    player.onStarted = (itemId) => this.playbackStarted(itemId);
    player.onDrained = () => this.playbackDrained();
  }

  handle(event) {
    const handler = HANDLERS[event?.type];
    if (handler) handler.call(this, event);
  }

  get responding() {
    for (const response of this.responses.values()) if (!response.done) return true;
    return false;
  }

  response(id) {
    if (!id) return null;
    if (!this.responses.has(id)) {
      this.responses.set(id, { id, itemIds: new Set(), audio: false, done: false, endOfSpeech: null });
    }
    return this.responses.get(id);
  }

  bind(itemId, responseId) {
    const response = this.response(responseId);
    if (!response || !itemId || response.itemIds.has(itemId)) return;
    response.itemIds.add(itemId);
    this.itemResponse.set(itemId, responseId);
    if (response.serverMs !== undefined || response.pageMs !== undefined) this.showTurn(response);
  }

  // --- audio in: the customer's turn -----------------------------------------------------------

  speechStarted() {
    this.endOfSpeech = null;
    this.activity("listening", "Hearing you…");
    return this.interrupt();
  }

  // Barge-in: stop the assistant at once and tell the server how much of each item was really heard.
  async interrupt() {
    const active = [...this.responses.values()].filter((response) => !response.done && response.audio);
    if (!this.player.busy && active.length === 0) return;
    // Items still coming or not yet heard to the end are cut now, so audio arriving meanwhile is dropped.
    const candidates = [];
    for (const [itemId, total] of this.player.received) {
      if (this.cut.has(itemId)) continue;
      const stillComing = this.responses.get(this.itemResponse.get(itemId))?.done === false;
      if (!stillComing && (this.player.played.get(itemId) ?? 0) >= total) continue;
      candidates.push({ itemId, total, stillComing });
      this.cut.add(itemId);
    }
    const played = await this.player.flush();
    for (const { itemId, total, stillComing } of candidates) {
      const heard = Math.min(played.get(itemId) ?? 0, total);
      if (heard >= total && !stillComing) continue;
      const audioEndMs = samplesToMs(heard);
      this.send("conversation.item.truncate", {
        item_id: itemId,
        content_index: 0,
        audio_end_ms: audioEndMs,
      });
      this.log.add(
        "audio",
        `barge-in: ${itemId} cut at ${audioEndMs} ms of ${samplesToMs(total)} ms received`,
      );
    }
  }

  speechStopped(event) {
    this.endOfSpeech = { at: performance.now(), itemId: event.item_id };
    this.activity("thinking");
  }

  // --- audio out: the assistant's turn -------------------------------------------------------------

  audioDelta(event) {
    if (this.cut.has(event.item_id) || !event.delta) return;
    const response = this.response(event.response_id);
    if (response && !response.audio) {
      response.audio = true;
      response.endOfSpeech = this.endOfSpeech;
      this.endOfSpeech = null;
      this.onFirstAudio();
    }
    this.bind(event.item_id, event.response_id);
    this.player.enqueue(event.item_id, fromBase64(event.delta));
  }

  playbackStarted(itemId) {
    if (this.cut.has(itemId)) return;
    this.activity("speaking");
    const response = this.responses.get(this.itemResponse.get(itemId));
    if (!response?.endOfSpeech || response.pageMs !== undefined) return;
    response.pageMs = Math.round(performance.now() - response.endOfSpeech.at);
    this.send("store.metrics", {
      response_id: response.id,
      end_of_speech_to_first_audio_played_ms: response.pageMs,
    });
    this.log.latency(response.id, "page: end of speech → first audio played", response.pageMs);
    this.showTurn(response);
  }

  playbackDrained() {
    const speaking = [...this.responses.values()].some((response) => response.audio && !response.done);
    if (!speaking) this.activity("listening");
  }

  showTurn(response) {
    const turn = { serverMs: response.serverMs, pageMs: response.pageMs };
    this.status.showLatency(turn);
    for (const itemId of response.itemIds)
      this.transcript.setMeta(itemId, `Response time: ${latencyText(turn)}`);
  }

  responseDone(event) {
    const result = event.response ?? {};
    const response = this.response(result.id);
    if (response) response.done = true;
    if (result.status && result.status !== "completed") {
      const reason = result.status_details?.reason ?? result.status_details?.error?.message ?? "";
      this.log.add("response", `${result.id}: ${result.status}${reason ? ` (${reason})` : ""}`);
    }
    if (this.current === response) this.current = null;
    // The store runs tools itself and hides their calls; a spoken follow-up comes once they finish.
    const calledTool =
      response?.calledTool || (result.output ?? []).some((item) => item.type === "function_call");
    if (calledTool && (result.status ?? "completed") === "completed")
      this.activity("thinking", "Looking that up…");
    else if (!this.player.busy) this.activity("listening");
  }
}

function textOf(item) {
  return (item.content ?? [])
    .map((part) => part.text ?? part.transcript ?? "")
    .join("")
    .trim();
}

const HANDLERS = {
  "session.created"(event) {
    const session = event.session ?? {};
    this.log.session(
      `session started${session.id ? ` (${session.id})` : ""}${session.voice ? `, voice ${session.voice}` : ""}`,
    );
    this.onReady();
  },
  "session.updated"(event) {
    this.log.session(`session updated${event.session?.voice ? `: voice ${event.session.voice}` : ""}`);
  },
  "input_audio_buffer.speech_started"() {
    this.speechStarted();
  },
  "input_audio_buffer.speech_stopped"(event) {
    this.speechStopped(event);
  },
  "input_audio_buffer.committed"(event) {
    this.transcript.placeholder(event.item_id, event.previous_item_id);
  },
  "conversation.item.created"(event) {
    const item = event.item ?? {};
    if (item.type === "function_call") {
      this.log.add("tool", `model called ${item.name}`);
      return;
    }
    if (item.type !== "message") return;
    if (item.role === "user") {
      const typed = (item.content ?? []).some((part) => part.type === "input_text");
      if (typed) {
        const text = textOf(item);
        if (!this.transcript.adoptTyped(item.id, text)) {
          this.transcript.ensure(item.id, "user", event.previous_item_id);
          this.transcript.finish(item.id, "user", text);
        }
      } else {
        this.transcript.placeholder(item.id, event.previous_item_id);
      }
    } else if (item.role === "assistant") {
      this.transcript.ensure(item.id, "assistant", event.previous_item_id);
    }
  },
  "conversation.item.input_audio_transcription.delta"(event) {
    this.transcript.append(event.item_id, "user", event.delta ?? "");
  },
  "conversation.item.input_audio_transcription.completed"(event) {
    this.transcript.finish(event.item_id, "user", (event.transcript ?? "").trim() || "…");
  },
  "conversation.item.input_audio_transcription.failed"(event) {
    this.transcript.failed(event.item_id);
    if (event.error) this.log.error(event.error);
  },
  "conversation.item.truncated"(event) {
    this.cut.add(event.item_id);
    this.transcript.markCut(event.item_id);
  },
  "response.created"(event) {
    this.current = this.response(event.response?.id);
    if (this.status.state !== "speaking") this.activity("thinking");
  },
  "response.output_item.added"(event) {
    const item = event.item ?? {};
    if (item.type === "message" && item.role === "assistant") {
      this.transcript.ensure(item.id, "assistant");
      this.bind(item.id, event.response_id);
    }
  },
  "response.audio_transcript.delta"(event) {
    this.bind(event.item_id, event.response_id);
    this.transcript.append(event.item_id, "assistant", event.delta ?? "");
  },
  "response.audio_transcript.done"(event) {
    this.transcript.finish(event.item_id, "assistant", event.transcript);
  },
  "response.text.delta"(event) {
    this.bind(event.item_id, event.response_id);
    this.transcript.append(event.item_id, "assistant", event.delta ?? "");
  },
  "response.text.done"(event) {
    this.transcript.finish(event.item_id, "assistant", event.text);
  },
  "response.audio.delta"(event) {
    this.audioDelta(event);
  },
  "response.done"(event) {
    this.responseDone(event);
  },
  error(event) {
    this.log.error(event.error);
    if (event.error?.code === "cart_error") this.shop.cartError(event.error.message);
  },
  "store.products"(event) {
    this.shop.showProducts(event);
    this.log.add(
      "products",
      `${(event.products ?? []).length} products${event.query ? ` for “${event.query}”` : ""}`,
    );
  },
  "store.cart"(event) {
    this.shop.showCart(event.cart);
  },
  "store.tool_call"(event) {
    this.log.toolCall(event);
    if (event.status !== "started") return;
    if (this.current) this.current.calledTool = true;
    this.activity("thinking", toolActivity(event.name));
  },
  "store.usage"(event) {
    this.log.usage(event);
  },
  "store.turn"(event) {
    const response = this.response(event.response_id);
    if (!response) return;
    response.serverMs = event.server_ms;
    this.log.latency(response.id, "server: end of speech → first audio", event.server_ms);
    this.showTurn(response);
  },
  "store.session"(event) {
    this.log.session(`store session ${event.state}${event.reason ? `: ${event.reason}` : ""}`);
    this.onSession(event);
  },
};

// The GA names of the same events, so either protocol's events render.
Object.assign(HANDLERS, {
  "conversation.item.added": HANDLERS["conversation.item.created"],
  "response.output_audio.delta": HANDLERS["response.audio.delta"],
  "response.output_audio_transcript.delta": HANDLERS["response.audio_transcript.delta"],
  "response.output_audio_transcript.done": HANDLERS["response.audio_transcript.done"],
  "response.output_text.delta": HANDLERS["response.text.delta"],
  "response.output_text.done": HANDLERS["response.text.done"],
});
