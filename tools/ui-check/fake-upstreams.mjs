// Fake upstreams for the Management Center check (see README "Checking the Management Center").
//   :18001  OpenAI-compatible upstream; a model whose name contains "fail" answers 500
//   :18002  HTTP forward proxy: CONNECT tunnels end at the TLS server below, whatever host they name
//   :18003  TLS server (certs/leaf.pem, signed by certs/ca.pem) answering the provider endpoints the
//           quota page and the proxy call: Codex and Claude usage, Google token refresh and quota,
//           Claude /v1/messages
// Auth files whose proxy_url is http://127.0.0.1:18002 reach these instead of the real providers,
// once the gateway trusts certs/ca.pem (SSL_CERT_FILE=certs/bundle.pem).
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import fs from 'node:fs';

const log = (...a) => console.log(new Date().toISOString(), ...a);
const readBody = (req) => new Promise((resolve) => { let s = ''; req.on('data', (c) => (s += c)); req.on('end', () => resolve(s)); });
const json = (res, status, obj) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(obj)); };

http.createServer(async (req, res) => {
  const text = await readBody(req);
  log('upstream', req.method, req.url);
  if (req.url.startsWith('/v1/models')) return json(res, 200, { object: 'list', data: [{ id: 'fake-gpt', object: 'model' }, { id: 'fake-fail', object: 'model' }] });
  let model = 'fake-gpt';
  try { model = JSON.parse(text).model ?? model; } catch { /* not JSON: keep the default */ }
  if (model.includes('fail')) return json(res, 500, { error: { message: 'fake upstream failure', type: 'server_error' } });
  json(res, 200, {
    id: 'chatcmpl-fake', object: 'chat.completion', created: Math.floor(Date.now() / 1000), model,
    choices: [{ index: 0, message: { role: 'assistant', content: 'hello from fake' }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 },
  });
}).listen(18001, '127.0.0.1');

const providers = (req, res) => {
  log('tls', req.method, req.headers.host, req.url);
  const now = Math.floor(Date.now() / 1000);
  const at = (s) => new Date((now + s) * 1000).toISOString();
  if (req.url.startsWith('/backend-api/wham/usage')) {
    return json(res, 200, {
      plan_type: 'plus',
      rate_limit: {
        allowed: true, limit_reached: false,
        primary_window: { used_percent: 42, limit_window_seconds: 18000, reset_after_seconds: 3600, reset_at: now + 3600 },
        secondary_window: { used_percent: 13, limit_window_seconds: 604800, reset_after_seconds: 86400, reset_at: now + 86400 },
      },
    });
  }
  if (req.url.startsWith('/api/oauth/usage')) return json(res, 200, { five_hour: { utilization: 37, resets_at: at(3600) }, seven_day: { utilization: 21, resets_at: at(86400) } });
  if (req.url.startsWith('/api/oauth/profile')) return json(res, 200, { account: { email: 'user@example.com' } });
  if (req.url.startsWith('/v1/messages')) {
    return json(res, 200, {
      id: 'msg_fake', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5-20250929',
      content: [{ type: 'text', text: 'hello from fake claude' }], stop_reason: 'end_turn',
      usage: { input_tokens: 21, output_tokens: 9, cache_read_input_tokens: 4 },
    });
  }
  if (req.url === '/token') return json(res, 200, { access_token: `ya29.FAKE-REFRESHED-${now}`, expires_in: 3600, token_type: 'Bearer' });
  if (req.url.includes(':loadCodeAssist')) return json(res, 200, { currentTier: { id: 'standard-tier' }, cloudaicompanionProject: 'fake-gcp-project-123456' });
  if (req.url.includes(':retrieveUserQuota')) {
    return json(res, 200, {
      buckets: [
        { modelId: 'gemini-2.5-pro', tokenType: 'REQUESTS', remainingFraction: 0.75, resetTime: at(3600) },
        { modelId: 'gemini-2.5-flash', tokenType: 'REQUESTS', remainingFraction: 0.5, resetTime: at(3600) },
      ],
    });
  }
  json(res, 404, { error: `fake: no canned answer for ${req.url}` });
};
const certs = new URL('certs/', import.meta.url);
https.createServer({ key: fs.readFileSync(new URL('leaf.key', certs)), cert: fs.readFileSync(new URL('leaf.pem', certs)) }, providers)
  .listen(18003, '127.0.0.1');

const proxy = http.createServer(providers);
proxy.on('connect', (req, client, head) => {
  log('proxy CONNECT', req.url);
  const tunnel = net.connect(18003, '127.0.0.1', () => {
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    tunnel.write(head);
    tunnel.pipe(client);
    client.pipe(tunnel);
  });
  tunnel.on('error', () => client.destroy());
  client.on('error', () => tunnel.destroy());
});
proxy.listen(18002, '127.0.0.1');
log('fake upstreams on 127.0.0.1:18001 (OpenAI-compatible), :18002 (proxy), :18003 (TLS)');
