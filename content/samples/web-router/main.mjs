import { createServer } from 'node:http';

const users = new Map([
  [1, { id: 1, name: 'Ada Lovelace' }],
  [2, { id: 2, name: 'Grace Hopper' }],
]);

// step: Declare the routes
// region routes
const routes = [
  ['GET', /^\/users$/, () => [200, [...users.values()]]],
  ['GET', /^\/users\/(\d+)$/, (id) => {
    const user = users.get(Number(id));
    return user ? [200, user] : [404, { error: `no user ${id}` }];
  }],
  ['GET', /^\/health$/, () => [200, { ok: true }]],
];
// endregion

// step: Match a request to a route
function dispatch(method, path) {
  let pathMatched = false;
  for (const [verb, pattern, handler] of routes) {
    const match = pattern.exec(path);
    if (!match) continue;
    pathMatched = true;
    if (verb === method) return handler(...match.slice(1));
  }
  if (pathMatched) return [405, { error: 'method not allowed' }];
  return [404, { error: 'not found' }];
}

// step: Answer with JSON
const server = createServer((req, res) => {
  const { pathname } = new URL(req.url, 'http://localhost');
  const [status, data] = dispatch(req.method, pathname);
  const body = JSON.stringify(data);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
});

// step: Listen
const port = Number(process.env.PORT ?? 8000);
server.listen(port, '127.0.0.1', () => console.log(`listening on ${port}`));
