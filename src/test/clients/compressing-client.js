// Node's ws (npm), compression on as it is by default in browsers: permessage-deflate offered with
// context takeover both ways. Sends the messages that a broken inflater once cut short to /echo, one
// after another on one connection, and checks that each comes back byte for byte; then three messages
// to /talk-to-server, each answered with the reply. Prints a line per check; exits 0 when all pass.
//
// Usage: node compressing-client.js ws://127.0.0.1:PORT on|off
//   on:  the server must accept permessage-deflate; off: it must decline it (and still talk).
"use strict";

const WebSocket = require("ws");
const crypto = require("crypto");

const [base, expect] = process.argv.slice(2);
const TIMEOUT_MS = 20000;

const messages = [
  ["1,000,000 random bytes", crypto.randomBytes(1000000), true],
  ["1,040,000 bytes of one value", Buffer.alloc(1040000, 0x61), true],
  ["4 MiB of random bytes", crypto.randomBytes(4 * 1024 * 1024), true],
  ["32,768 bytes of one value", Buffer.alloc(32768, 0x61), true],
  ["4,096 random bytes", crypto.randomBytes(4096), true],
  ["32,768 characters of text", "x".repeat(32768), false],
];

let failures = 0;
function report(ok, what) {
  if (!ok) failures++;
  console.log(`${ok ? "ok" : "FAIL"} ${what}`);
}

function open(path) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(base + path, { perMessageDeflate: true });
    const queue = [];
    const waiting = [];
    ws.on("message", (data, isBinary) => {
      const item = { data, isBinary };
      if (waiting.length) waiting.shift()(item); else queue.push(item);
    });
    ws.on("close", (code, reason) => {
      while (waiting.length) waiting.shift()({ closed: `${code} ${reason}` });
      queue.push({ closed: `${code} ${reason}` });
    });
    ws.next = () => new Promise((res, rej) => {
      const timer = setTimeout(() => rej(new Error("no message in time")), TIMEOUT_MS);
      const take = (item) => { clearTimeout(timer); res(item); };
      if (queue.length) take(queue.shift()); else waiting.push(take);
    });
    ws.once("open", () => resolve(ws));
    ws.once("error", reject);
  });
}

function checkExtension(ws, path) {
  const accepted = ws.extensions.includes("permessage-deflate");
  report(accepted === (expect === "on"), `${path}: permessage-deflate ${accepted ? "accepted" : "declined"}`);
}

(async () => {
  const echo = await open("/echo");
  checkExtension(echo, "/echo");
  for (const [name, payload, binary] of messages) {
    echo.send(payload, { binary });
    const got = await echo.next();
    if (got.closed) { report(false, `${name}: connection closed ${got.closed}`); break; }
    const sent = Buffer.from(payload);
    const back = Buffer.from(got.data);
    report(got.isBinary === binary && Buffer.compare(sent, back) === 0,
      `${name}: ${back.length} of ${sent.length} bytes back${Buffer.compare(sent, back) === 0 ? ", exact" : ", DIFFERENT"}`);
  }
  echo.close(1000);

  const talk = await open("/talk-to-server");
  checkExtension(talk, "/talk-to-server");
  for (let i = 1; i <= 3; i++) {
    talk.send(`Hello from ws, ${i}`);
    const got = await talk.next();
    report(!got.closed && String(got.data) === "Hello from server!", `/talk-to-server reply ${i}: ${got.closed || got.data}`);
  }
  talk.close(1000);
  console.log(failures === 0 ? "all passed" : `${failures} failed`);
  process.exit(failures === 0 ? 0 : 1);
})().catch((err) => { console.log(`FAIL ${err.message}`); process.exit(1); });
