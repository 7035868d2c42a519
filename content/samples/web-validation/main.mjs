import { once } from 'node:events';
import { createServer } from 'node:http';

// step: Declare what a valid body looks like
// region validate
const schema = {
  name: { type: 'string', required: true, maxLength: 40 },
  email: { type: 'string', required: true, pattern: /^[^@\s]+@[^@\s]+$/ },
  age: { type: 'integer', required: false, minimum: 0 },
};
const typeNames = { string: 'a string', integer: 'an integer' };
const hasType = (value, type) =>
  type === 'integer' ? Number.isInteger(value) : typeof value === type;

function validate(body) {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return ['body: must be a JSON object'];
  }
  const errors = [];
  for (const [field, rule] of Object.entries(schema)) {
    const value = body[field];
    if (value === undefined) {
      if (rule.required) errors.push(`${field}: required`);
    } else if (!hasType(value, rule.type)) {
      errors.push(`${field}: must be ${typeNames[rule.type]}`);
    } else if (rule.maxLength !== undefined && value.length > rule.maxLength) {
      errors.push(`${field}: at most ${rule.maxLength} characters`);
    } else if (rule.pattern && !rule.pattern.test(value)) {
      errors.push(`${field}: not a valid address`);
    } else if (rule.minimum !== undefined && value < rule.minimum) {
      errors.push(`${field}: must be >= ${rule.minimum}`);
    }
  }
  for (const field of Object.keys(body).sort()) {
    if (!(field in schema)) errors.push(`${field}: unknown field`);
  }
  return errors;
}
// endregion

// step: Reject bad bodies before the handler runs
let nextId = 1;
const server = createServer(async (req, res) => {
  let text = '';
  for await (const chunk of req) text += chunk;
  let status, data;
  try {
    const body = JSON.parse(text);
    const errors = validate(body);
    if (errors.length) [status, data] = [400, { errors }];
    else [status, data] = [201, { id: nextId++, ...body }];
  } catch {
    [status, data] = [400, { errors: ['body: not valid JSON'] }];
  }
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(data));
});
server.listen(0, '127.0.0.1');
await once(server, 'listening');

// step: Send three requests
const bodies = [
  '{"name": "Ada", "email": "ada@example.org", "age": 36}',
  '{"email": "grace(at)example.org", "age": -1, "admin": true}',
  '{"name": "Alan",',
];
for (const body of bodies) {
  const url = `http://127.0.0.1:${server.address().port}/users`;
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body,
  });
  const data = await res.json();
  console.log(res.status, data.errors
    ? data.errors.join('; ')
    : `created user ${data.id}: ${data.name}`);
}
server.close();
server.closeIdleConnections();
