// Drive the seed's client (compiled to dist/) against a live server.
// Input (env): HRM2_BASE_URL, HRM2_TOKEN, HRM2_FIXTURE (JSON: document and result ids).
// Output: one JSON line on stdout with what each call returned and what the scenarios logged.
const fixture = JSON.parse(process.env.HRM2_FIXTURE);
globalThis.HRM2_BASE_URL = process.env.HRM2_BASE_URL;
let token = process.env.HRM2_TOKEN;
globalThis.localStorage = { getItem: (key) => (key === 'token' ? token : null) };

const logs = [];
console.log = (...args) => logs.push(['log', ...args.map(String)]);
console.error = (...args) =>
  logs.push(['error', ...args.map((a) => (a && a.response ? `${a.response.status}` : String(a)))]);

const client = require('./dist/seed_client.js');

async function status(promise) {
  try {
    await promise;
    return 200;
  } catch (error) {
    return { status: error.response && error.response.status, detail: error.response && error.response.data.detail };
  }
}

(async () => {
  const out = {};
  const [a, b, c] = fixture.results;
  out.update = await client.updateEvaluationResult(a.id, { result: 'pass', message: '经人工审核,该评查点符合要求', final_score: 100.0 });
  out.create = await client.createAuditStatus({
    document_id: fixture.document_id,
    evaluation_point_id: a.point_id,
    evaluation_result_id: a.id,
    edit_audit_status: 1,
    message: '已完成人工审核,确认通过',
  });
  out.updateStatus = await client.updateAuditStatus(out.create.data.id, { edit_audit_status: 1, message: '重新审核后确认通过' });
  await client.handlePassClick(fixture.document_id, b.point_id, b.id);
  await client.handleFailClick(fixture.document_id, c.point_id, c.id, '证书缺失');
  await client.handleConfirmAllClick(fixture.document_id);
  out.missing = await status(client.updateEvaluationResult(999999, { result: 'pass' }));
  token = process.env.HRM2_STRANGER_TOKEN;
  out.forbidden = await status(client.updateEvaluationResult(a.id, { result: 'fail' }));
  out.logs = logs;
  process.stdout.write(JSON.stringify(out) + '\n');
})().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error) + '\n');
  process.exit(1);
});
