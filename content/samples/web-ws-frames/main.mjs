import { createHash } from 'node:crypto';

const hex = (bytes) => Buffer.from(bytes).toString('hex').replace(/(..)(?!$)/g, '$1 ');
const OPCODES = {
  0: 'continuation', 1: 'text', 2: 'binary', 8: 'close', 9: 'ping', 10: 'pong',
};

// step: Answer the opening handshake
// region handshake
const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11'; // fixed by RFC 6455
const accept = (key) => createHash('sha1').update(key + GUID).digest('base64');
// endregion
console.log('accept:', accept('dGhlIHNhbXBsZSBub25jZQ=='));

// step: Encode a frame
// region frames
function encode(opcode, payload, { fin = true, mask = null } = {}) {
  const head = [(fin ? 0x80 : 0) | opcode];
  const maskBit = mask ? 0x80 : 0;
  const n = payload.length;
  if (n < 126) head.push(maskBit | n);
  else if (n < 65536) head.push(maskBit | 126, n >> 8, n & 0xff);
  else throw new RangeError('64-bit lengths left out of this sample');
  const body = Buffer.from(payload);
  if (mask) {
    for (let i = 0; i < body.length; i++) body[i] ^= mask[i % 4];
    head.push(...mask);
  }
  return Buffer.concat([Buffer.from(head), body]);
}

// step: Decode a frame
function decode(frame) {
  const fin = (frame[0] & 0x80) !== 0;
  const opcode = frame[0] & 0x0f;
  const masked = (frame[1] & 0x80) !== 0;
  let length = frame[1] & 0x7f;
  let offset = 2;
  if (length === 126) {
    length = frame.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    length = Number(frame.readBigUInt64BE(2));
    offset = 10;
  }
  const mask = masked ? frame.subarray(offset, offset + 4) : null;
  if (masked) offset += 4;
  const payload = Buffer.from(frame.subarray(offset, offset + length));
  if (mask) for (let i = 0; i < payload.length; i++) payload[i] ^= mask[i % 4];
  return { fin, opcode: OPCODES[opcode], masked, payload };
}
// endregion

// step: Check against the RFC's examples
const hello = Buffer.from('Hello');
console.log('server text "Hello":', hex(encode(1, hello)));
const mask = [0x37, 0xfa, 0x21, 0x3d];
const maskedHello = [0x7f, 0x9f, 0x4d, 0x51, 0x58];
const fromClient = Buffer.from([0x81, 0x85, ...mask, ...maskedHello]);
const d = decode(fromClient);
const flags = `fin=${d.fin} opcode=${d.opcode} masked=${d.masked}`;
console.log(`client frame: ${flags} payload="${d.payload}"`);
console.log('re-encoded with the same mask:', hex(encode(1, hello, { mask })));
const big = encode(2, Buffer.alloc(256));
console.log('256-byte binary frame, header:', hex(big.subarray(0, 4)));
const parts = [
  encode(1, Buffer.from('Hel'), { fin: false }),
  encode(0, Buffer.from('lo')),
];
const joined = parts.map((f) => decode(f).payload).join('');
console.log('fragments:', parts.map(hex).join(' | '), '->', `"${joined}"`);
const status = Buffer.from([0x03, 0xe8]); // 1000, normal closure
const close = Buffer.concat([status, Buffer.from('bye')]);
console.log('close 1000 "bye":', hex(encode(8, close)));
