// npm web-push sending one real Web Push over https to OUR push service, driven
// by tst_push_interop. Usage: node push-sender.mjs < request.json where request is
// {subscription, payload (base64url), ttl, urgency?, topic?, vapid?: {publicKey, privateKey, subject}}.
// Answer (stdout, one JSON object): {statusCode, headers, body}. The service's
// certificate is trusted through NODE_EXTRA_CA_CERTS.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const webpush = require('web-push');

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const req = JSON.parse(Buffer.concat(chunks).toString('utf8'));

const options = { TTL: req.ttl ?? 60, contentEncoding: 'aes128gcm', timeout: 30000 };
if (req.urgency) options.urgency = req.urgency;
if (req.topic) options.topic = req.topic;
// web-push signs VAPID itself unless told not to; without vapid we send none at all.
options.vapidDetails = req.vapid ?? null;

try {
  const res = await webpush.sendNotification(req.subscription, Buffer.from(req.payload, 'base64url'), options);
  process.stdout.write(JSON.stringify({ statusCode: res.statusCode, headers: res.headers, body: res.body }));
} catch (error) {
  if (error instanceof webpush.WebPushError) {
    process.stdout.write(JSON.stringify({ statusCode: error.statusCode, headers: error.headers, body: error.body }));
  } else {
    console.error(error && error.stack ? error.stack : String(error));
    process.exit(1);
  }
}
