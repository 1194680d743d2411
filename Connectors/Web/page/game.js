// Catch, the browser game: balls fall from the top of a 160x120 field, drifting sideways and bouncing off the side
// walls; the paddle at the bottom moves left, stays or moves right. A caught ball scores +1, a missed one -1; the
// episode ends after `balls` balls. All positions are whole pixels, so the rules are exact and a seeded game is
// reproducible anywhere (tests replay it in C#: tests/Connectors.Tests/Web/CatchRules.cs).
(function (root) {
  'use strict';

  const W = 160, H = 120;
  const PADDLE_Y = 112, PADDLE_HALF = 12, PADDLE_SPEED = 6;
  const BALL_R = 4, BALL_VY = 4;
  const DRIFTS = [-2, -1, 1, 2];

  /** mulberry32: a small seedable PRNG with a 32-bit state, uniform in [0, 1). */
  function mulberry32(seed) {
    let a = seed >>> 0;
    return function () {
      a = (a + 0x6D2B79F5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  class CatchGame {
    /** balls: balls per episode. */
    constructor(balls = 10) {
      if (!Number.isSafeInteger(balls) || balls < 1 || balls > 1000) throw new RangeError(`balls must be an integer in [1, 1000], got ${balls}`);
      this.balls = balls;
      this.rng = null;
      this.over = true;
    }

    static get width() { return W; }
    static get height() { return H; }

    /** Starts an episode; a seed restarts the PRNG, no seed continues it (first time: seeded from the clock). */
    reset(seed) {
      if (seed !== null && seed !== undefined) this.rng = mulberry32(seed);
      else if (!this.rng) this.rng = mulberry32((Date.now() ^ Math.floor(Math.random() * 4294967296)) >>> 0);
      this.paddleX = W / 2;
      this.caught = 0;
      this.missed = 0;
      this.frame = 0;
      this.over = false;
      this.spawn();
    }

    spawn() {
      this.ballX = 8 + Math.floor(this.rng() * 145);
      this.ballVx = DRIFTS[Math.floor(this.rng() * 4)];
      this.ballY = 0;
    }

    /** One frame: 0 = left, 1 = stay, 2 = right. Returns the frame's reward. */
    step(action) {
      if (this.over) throw new Error('the episode is over; reset first');
      this.paddleX = Math.min(W - PADDLE_HALF, Math.max(PADDLE_HALF, this.paddleX + (action - 1) * PADDLE_SPEED));
      this.ballX += this.ballVx;
      if (this.ballX < BALL_R) { this.ballX = 2 * BALL_R - this.ballX; this.ballVx = -this.ballVx; }
      if (this.ballX > W - BALL_R) { this.ballX = 2 * (W - BALL_R) - this.ballX; this.ballVx = -this.ballVx; }
      this.ballY += BALL_VY;
      this.frame++;
      let reward = 0;
      if (this.ballY >= PADDLE_Y) {
        if (Math.abs(this.ballX - this.paddleX) <= PADDLE_HALF + BALL_R) { this.caught++; reward = 1; } else { this.missed++; reward = -1; }
        if (this.caught + this.missed >= this.balls) this.over = true; else this.spawn();
      }
      return reward;
    }

    /** The state vector, each entry scaled into [0, 1] (drift into [-1, 1]). */
    state() {
      return new Float32Array([this.ballX / W, this.ballY / H, this.ballVx / 2, this.paddleX / W, (this.balls - this.caught - this.missed) / this.balls]);
    }

    info() { return { caught: this.caught, missed: this.missed, frame: this.frame }; }

    /** Draws the field: white ball and grey paddle on black (the score lives outside the canvas, so pixels stay clean). */
    draw(ctx) {
      ctx.fillStyle = '#000';
      ctx.fillRect(0, 0, W, H);
      ctx.fillStyle = '#a0a0a0';
      ctx.fillRect(this.paddleX - PADDLE_HALF, PADDLE_Y, 2 * PADDLE_HALF, H - PADDLE_Y);
      ctx.fillStyle = '#fff';
      ctx.beginPath();
      ctx.arc(this.ballX, this.ballY, BALL_R, 0, 2 * Math.PI);
      ctx.fill();
    }
  }

  const api = { CatchGame, mulberry32 };
  if (typeof module !== 'undefined' && module.exports) module.exports = api; else Object.assign(root, api);
})(typeof self !== 'undefined' ? self : this);
