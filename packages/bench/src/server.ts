// A vendor-like HTTP server in its own process, one per wire format: Kaleyra's /v1/<sid>/messages (form
// in, JSON out), Twilio's Messages.json (form, Basic auth) and a JSON vendor's /v2/messages (JSON in and
// out, Bearer auth: Telnyx's shape). Prints "LISTENING <port>" once ready.
import http from 'node:http';

const kind = process.argv[2] ?? 'kaleyra';
let counter = 0;

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const text = Buffer.concat(chunks).toString();
    counter++;
    if (kind === 'json') {
      let request: { to?: string; from?: string; text?: string } = {};
      try {
        request = JSON.parse(text) as typeof request;
      } catch {
        // Not JSON: answered below as a request the vendor refuses.
      }
      const ok = req.headers.authorization === 'Bearer KEYbench' && typeof request.to === 'string';
      const body = JSON.stringify(
        ok
          ? {
              data: {
                record_type: 'message',
                direction: 'outbound',
                id: `40385f64-5717-4562-b3fc-${counter.toString(16).padStart(12, '0')}`,
                type: 'SMS',
                from: { phone_number: request.from },
                to: [{ phone_number: request.to, status: 'queued' }],
                text: request.text,
                parts: 1,
                encoding: 'GSM-7',
              },
            }
          : { errors: [{ code: '10009', title: 'Authentication failed' }] },
      );
      res.writeHead(ok ? 200 : 401, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
      return;
    }
    const form = new URLSearchParams(text);
    if (kind === 'twilio') {
      const sid = `SM${counter.toString(16).padStart(32, '0')}`;
      const body = JSON.stringify({
        sid,
        account_sid: 'ACbench',
        to: form.get('To'),
        from: form.get('From'),
        body: form.get('Body'),
        status: 'queued',
        date_created: new Date().toUTCString(),
        num_segments: '1',
        error_code: null,
        error_message: null,
        uri: `/2010-04-01/Accounts/ACbench/Messages/${sid}.json`,
      });
      res.writeHead(201, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    const id = `bench-${counter}`;
    const body = JSON.stringify({
      id,
      sender: form.get('sender') ?? 'KLRHXA',
      type: 'OTP',
      body: form.get('body'),
      createdDateTime: '2019-11-04 10:42:23+00:00',
      totalCount: 1,
      data: [{ message_id: `${id}:1`, recipient: (form.get('to') ?? '').replace('+', '') }],
      dlrurl: null,
      error: {},
    });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`LISTENING ${typeof address === 'object' && address ? address.port : 0}\n`);
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
