// Preloaded into a child process (NODE_OPTIONS=--require <this file>) whose clock
// must run SHIFTED_CLOCK_MS off, as a badly set host's does, while moto and the fake
// clusters keep the real time. Every reader of the time in JavaScript (new Date(),
// Date.now(), the AWS SDK's signer) sees the shifted clock; explicit dates are kept.
'use strict';
const shiftMs = Number(process.env.SHIFTED_CLOCK_MS ?? '0');
if (!Number.isFinite(shiftMs))
  throw new Error(`SHIFTED_CLOCK_MS "${process.env.SHIFTED_CLOCK_MS}" is not a number`);
const RealDate = Date;
function ShiftedDate(...args) {
  if (!new.target) return new RealDate(RealDate.now() + shiftMs).toString();
  return args.length === 0 ? new RealDate(RealDate.now() + shiftMs) : new RealDate(...args);
}
ShiftedDate.prototype = RealDate.prototype;
ShiftedDate.now = () => RealDate.now() + shiftMs;
ShiftedDate.parse = RealDate.parse;
ShiftedDate.UTC = RealDate.UTC;
globalThis.Date = ShiftedDate;
