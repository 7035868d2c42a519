// A minimal HTTP server with the built-in http module: one short text
// answer per request, keep-alive on (the default).
const http = require("node:http");

const body = "hello from node\n";
const server = http.createServer((req, res) => {
  res.writeHead(200, { "Content-Type": "text/plain", "Content-Length": Buffer.byteLength(body) });
  res.end(body);
});
server.listen(Number(process.env.PORT), "127.0.0.1");
