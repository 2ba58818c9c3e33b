// The store page: one button starts a voice session (or typing starts a text one); this module owns the
// session's lifecycle and tells the customer clearly how it ended.

import { Microphone, createAudio } from "./audio.js";
import { Conversation } from "./conversation.js";
import { byId } from "./dom.js";
import { EventLog } from "./log.js";
import { RealtimeSocket, realtimeUrl } from "./realtime.js";
import { Shop } from "./shop.js";
import { Status, Transcript } from "./ui.js";

const MESSAGES = {
  denied:
    "Microphone access is blocked. Allow the microphone for this site in your browser's settings and press the button again — or type your question below.",
  missing: "No microphone was found. Connect one and try again — or type your question below.",
  busy: "The microphone is in use by another app. Close it and try again — or type your question below.",
  unsupported:
    "This browser can't share a microphone here (it needs a secure https page). You can still type your question below.",
  failed: "The microphone could not be started. Try again — or type your question below.",
  micEnded: "The microphone stopped. Press the button to start again.",
  audio: "This browser could not start audio. Try again, or use a current Chrome, Edge, Firefox or Safari.",
  unreachable: "Can't reach the store assistant right now. Check your connection and try again in a moment.",
  lost: "The connection to the assistant was lost. Press the button to start again.",
  capacity: "The assistant is busy helping other customers right now. Please try again in a minute.",
  ended: "Your session has ended. Press the button to start a new one.",
  expired: "Your session reached its time limit. Press the button to start a new one.",
};

const status = new Status();
const transcript = new Transcript();
const log = new EventLog();
const shop = new Shop((type, fields) => session?.socket.send(type, fields) ?? false);
const typedForm = byId("typed");
const typedText = byId("typed-text");
const voiceSelect = byId("voice");

let audio = null; // {context, player}: made once, in the first click
// Microphone frames kept while the session is still connecting (50 ms each: 3 s), sent once it is ready.
const EARLY_FRAMES = 60;
let session = null; // {socket, conversation, mic, wantsMic, ready, ended, pendingText}

function activity(state, detail) {
  if (!session?.ready) return;
  if (state === "listening" && !session.mic) state = "ready";
  status.set(state, detail);
}

// A browser with no usable audio output never settles AudioContext.resume(): give up after this long.
const AUDIO_START_MS = 5000;

async function ensureAudio() {
  let timer;
  const tooLong = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`audio did not start within ${AUDIO_START_MS} ms`)), AUDIO_START_MS);
  });
  try {
    if (!audio) audio = await Promise.race([createAudio(), tooLong]);
    else await Promise.race([audio.context.resume(), tooLong]);
  } finally {
    clearTimeout(timer);
  }
  return audio;
}

async function start({ withMic, text } = {}) {
  status.clearAlert();
  status.hideBanner();
  status.set("connecting");
  try {
    await ensureAudio();
  } catch (error) {
    log.error({ code: "audio", message: String(error) });
    status.alert(MESSAGES.audio);
    status.set("idle");
    return;
  }
  log.reset();
  log.session("connecting");
  audio.player.reset();
  lockVoice(false);
  const current = { mic: null, wantsMic: withMic, ready: false, ended: null, pendingText: text ?? null, early: [] };
  current.conversation = new Conversation({
    transcript,
    status,
    shop,
    log,
    player: audio.player,
    send: (type, fields) => current.socket.send(type, fields),
    activity,
    onReady: () => ready(current),
    onSession: (event) => storeSession(current, event),
    onFirstAudio: () => lockVoice(true),
  });
  current.socket = new RealtimeSocket(realtimeUrl(), {
    onOpen: () => log.session("socket open"),
    onEvent: (event) => current.conversation.handle(event),
    onClose: (info) => closed(current, info),
  });
  session = current;
  if (withMic) openMic(current);
}

async function openMic(current) {
  try {
    const mic = await Microphone.open(audio.context, {
      onFrame: (pcm, level) => {
        status.level(level);
        if (current.ready) current.socket.sendAudio(pcm);
        else if (current.early.length < EARLY_FRAMES) current.early.push(pcm);
      },
      onEnded: () => {
        if (session === current) stop(MESSAGES.micEnded);
      },
    });
    if (session !== current) {
      mic.close();
      return;
    }
    current.mic = mic;
    log.session("microphone on");
    if (current.ready) status.set("listening");
  } catch (error) {
    if (session !== current) return;
    log.error({ code: `microphone_${error.kind ?? "failed"}`, message: String(error.cause ?? error) });
    stop(MESSAGES[error.kind] ?? MESSAGES.failed);
  }
}

function ready(current) {
  if (session !== current || current.ready) return;
  current.ready = true;
  for (const pcm of current.early.splice(0)) current.socket.sendAudio(pcm); // words said while connecting
  shop.setConnected(true);
  current.socket.send("store.cart.get", {});
  if (voiceSelect.value && !voiceSelect.disabled) {
    current.socket.send("session.update", { session: { voice: voiceSelect.value } });
  }
  if (current.pendingText) {
    sendText(current, current.pendingText);
    current.pendingText = null;
  } else if (current.mic || !current.wantsMic) {
    status.set(current.mic ? "listening" : "ready");
  }
}

function storeSession(current, event) {
  if (event.state === "reconnecting") {
    status.showBanner("The assistant's connection dropped — reconnecting…");
  } else if (event.state === "reconnected") {
    status.showBanner("Reconnected. You can carry on.", { kind: "ok", hideAfterMs: 4000 });
  } else if (event.state === "ended") {
    current.ended = event.reason || "ended";
  }
}

// How the socket closed decides what the customer reads.
function closeMessage(current, info) {
  const code = info.lastError?.code;
  if (code === "session_limit_reached" || info.code === 1013) return ["capacity", "error"];
  if (code === "session_expired") return ["expired", "notice"];
  if (current.ended) return ["ended", "notice"];
  if (!info.opened) return ["unreachable", "error"];
  if (info.code === 1000 || info.code === 1001) return ["ended", "notice"];
  return ["lost", "error"];
}

function closed(current, info) {
  log.session(`socket closed (${info.code}${info.reason ? ` ${info.reason}` : ""})`);
  if (session !== current || info.byClient) return;
  const [message, kind] = closeMessage(current, info);
  teardown();
  status.alert(MESSAGES[message], kind);
  status.set("idle");
}

function teardown() {
  if (!session) return;
  const current = session;
  session = null;
  current.mic?.close();
  current.socket.close();
  audio?.player.reset();
  status.level(0);
  status.hideBanner();
  shop.setConnected(false);
}

// The model keeps its voice once it has spoken.
function lockVoice(locked) {
  voiceSelect.disabled = locked;
  voiceSelect.title = locked ? "The voice is fixed once the assistant has spoken in this session." : "";
}

function stop(alertMessage) {
  teardown();
  log.session("session stopped");
  if (alertMessage) status.alert(alertMessage, "error");
  status.set("idle");
}

function sendText(current, text) {
  const item = { type: "message", role: "user", content: [{ type: "input_text", text }] };
  if (current.conversation.responding) {
    current.conversation.interrupt();
    current.socket.send("response.cancel", {});
  }
  transcript.typedNow(text);
  current.socket.send("conversation.item.create", { item });
  current.socket.send("response.create", {});
  status.set("thinking");
}

status.button.addEventListener("click", () => {
  if (!session) start({ withMic: true });
  else if (!session.mic && !session.wantsMic) {
    session.wantsMic = true;
    status.set("connecting", "Starting the microphone…");
    openMic(session);
  } else stop();
});

typedForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = typedText.value.trim();
  if (!text) return;
  typedText.value = "";
  if (!session) start({ withMic: false, text });
  else if (!session.ready) session.pendingText = text;
  else sendText(session, text);
});

voiceSelect.addEventListener("change", () => {
  if (session?.ready && voiceSelect.value) {
    session.socket.send("session.update", { session: { voice: voiceSelect.value } });
  }
});

window.addEventListener("pagehide", () => {
  if (session) stop();
});

// A small window for tests and support: what the page heard, played and measured.
window.storeDebug = {
  state: () => status.state,
  playedSamples: () => audio?.player.totalPlayed() ?? 0,
  receivedSamples: () => [...(audio?.player.received.values() ?? [])].reduce((a, b) => a + b, 0),
  appendsSent: () => session?.socket.appends ?? 0,
  audioRate: () => audio?.context.sampleRate ?? null,
};
