// The page's side of the rlplat wire protocol (Connectors/PROTOCOL.md, "Browser environments"). The page opens the
// WebSocket, then plays the env's role: rlplat sends create / reset / step / close and the page answers created /
// reset / step / closed. In live mode the game runs on its own clock after the first reset and pushes a step message
// every frame (and a reset message when a new episode starts), while rlplat sends act messages whenever it likes.
(function () {
  'use strict';
  const { Encoder, Tensor, decode } = MsgPack;
  const ENV_ID = 'Catch-web';
  const PIXEL_W = 40, PIXEL_H = 30;
  const MAX_BUFFERED = 1 << 16;   // live mode: skip sending a frame while this much is still queued (a slow agent)
  const codes = { InvalidArgument: 3, NotFound: 5, FailedPrecondition: 9, Unimplemented: 12, Internal: 13 };

  const params = new URLSearchParams(location.search);
  const slot = params.get('slot');
  const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/game' + (slot !== null ? '?slot=' + encodeURIComponent(slot) : '');
  const canvas = document.getElementById('field');
  const ctx = canvas.getContext('2d');
  const small = document.createElement('canvas');
  small.width = PIXEL_W; small.height = PIXEL_H;
  const smallCtx = small.getContext('2d', { willReadFrequently: true });
  const encoder = new Encoder();

  let ws = null, game = null, config = null, timer = null;
  let action = 1, framesSkipped = 0, episodeReturn = 0;
  let retryMs = 500;   // reconnect delay: doubles up to 5 s while rlplat has no session for this page

  function status(text) { document.getElementById('status').textContent = text; }

  function connect() {
    ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => status(`connected to ${url}${slot !== null ? ' as slot ' + slot : ''}; waiting for rlplat`);
    ws.onmessage = e => {
      try { handle(e.data); } catch (err) { fail('Internal', `the page failed: ${err.message}`); }
    };
    ws.onclose = e => {
      stopClock();
      game = null;
      status(`disconnected (${e.code}${e.reason ? ': ' + e.reason : ''}); reconnecting`);
      setTimeout(connect, retryMs);
      retryMs = Math.min(5000, retryMs * 2);
    };
  }

  function send(message) { ws.send(encoder.encode(message)); }

  // An error ends the session (PROTOCOL.md): send it, close, and let onclose reconnect for a fresh session.
  function fail(name, message) {
    try { send({ type: 'error', code: codes[name], name, message }); } catch (_) { /* the socket may be gone */ }
    status(`error: ${message}`);
    ws.close(1000, name);
  }

  function handle(data) {
    if (!(data instanceof ArrayBuffer)) return fail('InvalidArgument', 'text messages are not part of the protocol');
    let msg;
    try { msg = decode(new Uint8Array(data)); } catch (err) { return fail('InvalidArgument', 'malformed MessagePack: ' + err.message); }
    if (msg === null || typeof msg !== 'object' || typeof msg.type !== 'string') return fail('InvalidArgument', "message has no string 'type'");
    switch (msg.type) {
      case 'create': return create(msg);
      case 'reset': return reset(msg);
      case 'step': return step(msg);
      case 'act': return act(msg);
      case 'echo': return send({ type: 'echo', value: msg.value });
      case 'close': stopClock(); send({ type: 'closed' }); return ws.close(1000, 'closed by rlplat');
      case 'error': return status(`rlplat ended the session: ${msg.message}`);
      default: return fail('Unimplemented', `unknown message type '${String(msg.type).slice(0, 40)}'`);
    }
  }

  function create(msg) {
    if (game) return fail('FailedPrecondition', 'create sent twice in one session');
    if (msg.version !== 1) return fail('Unimplemented', `protocol version ${msg.version} is not supported (this page speaks 1)`);
    if (msg.env_id !== ENV_ID && msg.env_id !== '') return fail('NotFound', `this page plays '${ENV_ID}', not '${String(msg.env_id).slice(0, 40)}'`);
    const kwargs = msg.kwargs || {};
    const known = ['mode', 'fps', 'balls', 'observation'];
    for (const key of Object.keys(kwargs)) if (!known.includes(key)) return fail('InvalidArgument', `unknown kwarg '${key}' (valid: ${known.join(', ')})`);
    const mode = kwargs.mode ?? 'lockstep', fps = kwargs.fps ?? 30, observation = kwargs.observation ?? 'state';
    if (mode !== 'lockstep' && mode !== 'live') return fail('InvalidArgument', `mode must be 'lockstep' or 'live', got '${mode}'`);
    if (!(typeof fps === 'number' && fps >= 1 && fps <= 240)) return fail('InvalidArgument', `fps must be a number in [1, 240], got ${fps}`);
    if (observation !== 'state' && observation !== 'pixels') return fail('InvalidArgument', `observation must be 'state' or 'pixels', got '${observation}'`);
    try { game = new CatchGame(kwargs.balls ?? 10); } catch (err) { return fail('InvalidArgument', err.message); }
    config = { mode, fps, observation };
    retryMs = 500;
    const space = observation === 'state'
      ? { kind: 'box', dtype: 'float32', shape: [5], low: [0, 0, -1, 0, 0], high: [1, 1, 1, 1, 1] }
      : { kind: 'box', dtype: 'uint8', shape: [PIXEL_H, PIXEL_W], low: new Array(PIXEL_W * PIXEL_H).fill(0), high: new Array(PIXEL_W * PIXEL_H).fill(255) };
    send({ type: 'created', version: 1, env_id: ENV_ID, observation_space: space, action_space: { kind: 'discrete', n: 3, start: 0 }, max_episode_steps: null });
    status(`playing ${ENV_ID} (${mode}${mode === 'live' ? ', ' + fps + ' fps' : ''})`);
  }

  function reset(msg) {
    if (!game) return fail('FailedPrecondition', 'reset before create');
    const seed = msg.seed ?? null;
    if (seed !== null && !(Number.isSafeInteger(seed) && seed >= -2147483648 && seed <= 2147483647)) return fail('InvalidArgument', `seed must be an int32 or nil, got ${seed}`);
    stopClock();
    game.reset(seed);
    action = 1;
    episodeReturn = 0;
    game.draw(ctx);
    send({ type: 'reset', observation: observe(), info: game.info() });
    if (config.mode === 'live') timer = setInterval(tick, 1000 / config.fps);
  }

  function validAction(a) { return Number.isInteger(a) && a >= 0 && a <= 2; }

  function step(msg) {
    if (!game) return fail('FailedPrecondition', 'step before create');
    if (config.mode === 'live') return fail('FailedPrecondition', 'step in live mode: send act messages; the page keeps its own time');
    if (game.frame === undefined) return fail('FailedPrecondition', 'step before the first reset');
    if (game.over) return fail('FailedPrecondition', 'step after the episode ended; reset first');
    if (!validAction(msg.action)) return fail('InvalidArgument', `action ${msg.action} is not in Discrete(3)`);
    send(advance(msg.action));
  }

  function act(msg) {
    if (!game || config.mode !== 'live') return fail('FailedPrecondition', 'act is for live mode after create');
    if (!validAction(msg.action)) return fail('InvalidArgument', `action ${msg.action} is not in Discrete(3)`);
    action = msg.action;
  }

  function advance(a) {
    const reward = game.step(a);
    episodeReturn += reward;
    game.draw(ctx);
    document.getElementById('score').textContent = `caught ${game.caught}, missed ${game.missed}, return ${episodeReturn}`;
    return { type: 'step', observation: observe(), reward, terminated: game.over, truncated: false, info: game.info() };
  }

  // Live mode: one frame per tick with the newest action (the last one is reused while the agent is silent); a new
  // episode starts on the tick after the last one ended.
  function tick() {
    let message;
    if (game.over) {
      game.reset(null);
      action = 1;
      episodeReturn = 0;
      game.draw(ctx);
      message = { type: 'reset', observation: observe(), info: game.info() };
    } else {
      message = advance(action);
    }
    if (ws.bufferedAmount > MAX_BUFFERED) { framesSkipped++; return; }
    message.info.frames_skipped = framesSkipped;
    send(message);
  }

  function stopClock() {
    if (timer !== null) clearInterval(timer);
    timer = null;
  }

  function observe() {
    if (config.observation === 'state') return game.state();
    // The canvas downscaled to 40x30 grayscale (ITU-R 601 luma).
    smallCtx.drawImage(canvas, 0, 0, PIXEL_W, PIXEL_H);
    const rgba = smallCtx.getImageData(0, 0, PIXEL_W, PIXEL_H).data;
    const gray = new Uint8Array(PIXEL_W * PIXEL_H);
    for (let i = 0; i < gray.length; i++) gray[i] = Math.round(0.299 * rgba[4 * i] + 0.587 * rgba[4 * i + 1] + 0.114 * rgba[4 * i + 2]);
    return new Tensor('uint8', [PIXEL_H, PIXEL_W], gray);
  }

  connect();
})();
