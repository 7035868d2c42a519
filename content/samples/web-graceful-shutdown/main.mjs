import { once } from 'node:events';
import { createServer } from 'node:http';

let startShutdown;
const shuttingDown = new Promise((resolve) => { startShutdown = resolve; });

// step: Serve a request that is still running at SIGTERM
const server = createServer(async (req, res) => {
  console.log(`request ${req.url}: started`);
  process.kill(process.pid, 'SIGTERM'); // stands in for `docker stop`
  await shuttingDown; // the work outlasts the signal
  console.log(`request ${req.url}: finished`);
  res.setHeader('Connection', 'close'); // tell the client not to reuse it
  res.end('done\n');
});

// step: Handle SIGTERM
// region shutdown
process.once('SIGTERM', () => {
  console.log('SIGTERM: closing the listener, draining requests');
  server.close(); // stop accepting; 'close' fires once open ones end
  startShutdown();
});
// endregion

// step: Run a client against it
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const closed = once(server, 'close');
const res = await fetch(`http://127.0.0.1:${server.address().port}/report`);
console.log('client got:', res.status, (await res.text()).trim());

// step: Exit once the server has drained
await closed;
console.log('server closed; exiting with status 0');
