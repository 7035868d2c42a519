import { createServer } from 'node:http';

// step: Read the port
const port = Number(process.env.PORT ?? 3000);

// step: Handle requests
// region handler
const server = createServer((req, res) => {
  const found = req.url === '/';
  res.writeHead(found ? 200 : 404, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(found ? 'Hello World\n' : 'Not Found\n');
});
// endregion

// step: Start the server
server.listen(port, '127.0.0.1', () => {
  console.log(`Listening on http://127.0.0.1:${port}/`);
});
