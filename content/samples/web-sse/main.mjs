import { once } from 'node:events';
import { createServer } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

// step: Serve an event stream
const stream = [
  ': comments keep idle connections open',
  'retry: 2000',
  '',
  'id: 1',
  'event: price',
  'data: {"symbol":"ACME","price":101.5}',
  '',
  'id: 2',
  'data: first line',
  'data: second line',
  '',
  'id: 3',
  'event: done',
  'data: bye',
  '',
  '',
].join('\n');

const server = createServer(async (req, res) => {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache',
  });
  for (let i = 0; i < stream.length; i += 7) {
    // a real server writes whenever it has news
    res.write(stream.slice(i, i + 7));
    await sleep(1);
  }
  res.end();
});
server.listen(0, '127.0.0.1');
await once(server, 'listening');

// step: Parse events as the bytes arrive
// region parse
function parser(onEvent) {
  let buffered = '';
  let event = { type: 'message', data: [], id: null };
  const state = { lastId: '', retry: null };
  const field = (line) => {
    if (line === '') { // a blank line dispatches the event
      if (event.data.length) onEvent({ ...event, data: event.data.join('\n') });
      event = { type: 'message', data: [], id: null };
      return;
    }
    if (line.startsWith(':')) return; // a comment
    const colon = line.indexOf(':');
    const name = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (name === 'event') event.type = value;
    else if (name === 'data') event.data.push(value);
    else if (name === 'id') event.id = state.lastId = value;
    else if (name === 'retry' && /^\d+$/.test(value)) state.retry = Number(value);
  };
  return {
    state,
    push(text) {
      buffered += text;
      const lines = buffered.split(/\r\n|\r|\n/);
      buffered = lines.pop(); // keep a partial line for the next chunk
      lines.forEach(field);
    },
  };
}
// endregion

// step: Read the stream with the built-in client
const res = await fetch(`http://127.0.0.1:${server.address().port}/events`);
console.log('content-type:', res.headers.get('content-type'));
const show = (e) => {
  console.log(`event=${e.type} id=${e.id} data=${JSON.stringify(e.data)}`);
};
const p = parser(show);
for await (const text of res.body.pipeThrough(new TextDecoderStream())) {
  p.push(text);
}
const { retry, lastId } = p.state;
console.log(`stream ended: reconnect after ${retry} ms`,
  `with Last-Event-ID: ${lastId}`);
server.close();
