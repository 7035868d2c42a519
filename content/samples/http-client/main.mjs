import { once } from 'node:events';
import { createServer } from 'node:http';

// step: Start a local server
const server = createServer((req, res) => {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ method: req.method, path: req.url }));
});
server.listen(0, '127.0.0.1'); // port 0: the OS picks a free port
await once(server, 'listening');
const { port } = server.address();

// region request
// step: Send a request
const res = await fetch(`http://127.0.0.1:${port}/greeting?name=ada`);

// step: Read the response
console.log('status:', res.status, res.statusText);
console.log('content-type:', res.headers.get('content-type'));
const data = await res.json();
console.log('body:', data.method, data.path);
// endregion

// step: Shut down
server.close();
server.closeIdleConnections(); // fetch keeps the connection alive; Node 19+ closes it in close()
