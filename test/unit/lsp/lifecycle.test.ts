// The lifecycle gate over generated message sequences: whatever the order a client sends
// initialize, shutdown, exit, requests, notifications and responses in, the gate lets a handler
// see only what LSP allows, and answers every request it holds back with the right error.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCodes, type Message, type RequestMessage } from 'vscode-languageserver/node';
import { LifecycleGate } from '../../../server/src/lsp/lifecycle';
import { Rng } from '../../helpers/fuzz/prng';

const REQUESTS = ['initialize', 'shutdown', 'textDocument/hover', 'textDocument/completion', 'sipTls/fileReport', 'workspace/symbol', 'x/unknown'];
const NOTIFICATIONS = ['initialized', 'exit', 'textDocument/didOpen', 'textDocument/didChange', '$/cancelRequest', '$/setTrace'];

function generate(rng: Rng, length: number): Message[] {
  const out: Message[] = [];
  for (let i = 0; i < length; i++) {
    const r = rng.next();
    if (r < 0.55) out.push({ jsonrpc: '2.0', id: i, method: rng.pick(REQUESTS), params: {} } as RequestMessage);
    else if (r < 0.9) out.push({ jsonrpc: '2.0', method: rng.pick(NOTIFICATIONS), params: {} } as Message);
    else out.push({ jsonrpc: '2.0', id: `server-${i}`, result: null } as Message); // a response to a server request
  }
  return out;
}

test('over 3,000 generated sequences the gate forwards only what the LSP lifecycle allows', () => {
  let rejectedBefore = 0;
  let rejectedAfter = 0;
  let secondInitialize = 0;
  for (let seq = 0; seq < 3000; seq++) {
    const rng = Rng.forInput(20260511, seq);
    const gate = new LifecycleGate();
    let initialized = false;
    let shutDown = false;
    for (const message of generate(rng, rng.between(1, 40))) {
      const m = message as Message & { id?: number | string; method?: string; result?: unknown };
      const admission = gate.admit(message);
      const isResponse = m.method === undefined;
      const isRequest = !isResponse && m.id !== undefined;
      if (isResponse) {
        assert.equal(admission.kind, 'forward', 'responses to server requests always pass');
        continue;
      }
      if (!isRequest) {
        // Notifications: exit always passes; the others only while running.
        const expected: string = m.method === 'exit' || (initialized && !shutDown) ? 'forward' : 'drop';
        assert.equal(admission.kind, expected, `notification ${m.method} (initialized ${initialized}, shut down ${shutDown})`);
        continue;
      }
      if (!initialized) {
        if (m.method === 'initialize') {
          assert.equal(admission.kind, 'forward');
          initialized = true;
        } else {
          assert.equal(admission.kind, 'reject');
          assert.equal(admission.kind === 'reject' && admission.response.error?.code, ErrorCodes.ServerNotInitialized);
          assert.equal(admission.kind === 'reject' && admission.response.id, m.id, 'the error answers that request');
          rejectedBefore++;
        }
      } else if (shutDown) {
        assert.equal(admission.kind, 'reject', `${m.method} after shutdown`);
        assert.equal(admission.kind === 'reject' && admission.response.error?.code, ErrorCodes.InvalidRequest);
        assert.equal(admission.kind === 'reject' && admission.response.id, m.id);
        rejectedAfter++;
      } else if (m.method === 'initialize') {
        assert.equal(admission.kind, 'reject', 'a second initialize');
        assert.equal(admission.kind === 'reject' && admission.response.error?.code, ErrorCodes.InvalidRequest);
        assert.match(admission.kind === 'reject' ? admission.response.error!.message : '', /may only be sent once/);
        secondInitialize++;
      } else {
        assert.equal(admission.kind, 'forward', `${m.method} while running`);
        if (m.method === 'shutdown') shutDown = true;
      }
      assert.equal(gate.phase, !initialized ? 'awaiting-initialize' : shutDown ? 'shut-down' : 'running');
    }
  }
  // The generator reaches every branch (a generator that never did would prove nothing).
  assert.ok(rejectedBefore > 100 && rejectedAfter > 100 && secondInitialize > 100, `${rejectedBefore} / ${rejectedAfter} / ${secondInitialize}`);
});
