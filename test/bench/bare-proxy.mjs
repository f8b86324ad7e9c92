// The floor for any node:http gateway: a proxy that reads the body, parses it, forwards it on a
// keep-alive agent, parses the answer and sends it back — and nothing else (no routing, no
// logging, no cost). npm run bench measures it beside Tollgate in the same run, so the figures
// say how much of Tollgate's overhead is Tollgate's and how much is Node's HTTP stack.
//   node test/bench/bare-proxy.mjs UPSTREAM_ORIGIN   → prints {"port": N}
import http from 'node:http';

const upstream = new URL(process.argv[2]);
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    JSON.parse(body.toString());
    const headers = { 'content-type': 'application/json', authorization: req.headers.authorization ?? '', 'content-length': body.length };
    const outgoing = http.request(`${upstream.origin}${req.url}`, { method: 'POST', agent, headers }, (answer) => {
      const parts = [];
      answer.on('data', (chunk) => parts.push(chunk));
      answer.on('end', () => {
        const payload = Buffer.concat(parts);
        if ((answer.headers['content-type'] ?? '').startsWith('application/json')) JSON.parse(payload.toString());
        res.writeHead(answer.statusCode ?? 502, { 'content-type': answer.headers['content-type'] ?? 'application/json', 'content-length': payload.length });
        res.end(payload);
      });
    });
    outgoing.end(body);
  });
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
process.once('SIGTERM', () => server.close(() => process.exit(0)));
